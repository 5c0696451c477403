package kyc_test

import (
	"testing"
	"time"

	"github.com/openkyc/kyc"
)

func TestParseRetention(t *testing.T) {
	closed := time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		ends time.Time // zero: refused
	}{
		{"5y", time.Date(2029, 3, 1, 12, 0, 0, 0, time.UTC)}, // calendar years from a 29 February
		{"30d", closed.Add(30 * 24 * time.Hour)},
		{"90m", closed.Add(90 * time.Minute)},
		{"0y", time.Time{}},
		{"0d", time.Time{}},
		{"-1h", time.Time{}},
		{"5 years", time.Time{}},
		{"", time.Time{}},
	} {
		r, err := kyc.ParseRetention(tc.in)
		switch {
		case tc.ends.IsZero() && err == nil:
			t.Errorf("%q: accepted as %v", tc.in, r)
		case !tc.ends.IsZero() && err != nil:
			t.Errorf("%q: %v", tc.in, err)
		case !tc.ends.IsZero() && !r.Ends(closed).Equal(tc.ends):
			t.Errorf("%q: ends %v, want %v", tc.in, r.Ends(closed), tc.ends)
		case err == nil && r.String() != tc.in && tc.in != "90m":
			t.Errorf("%q: String() = %q", tc.in, r.String())
		}
	}
}
