package kyc_test

import (
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc"
)

func TestParseRate(t *testing.T) {
	for _, c := range []struct {
		in   string
		want kyc.Rate
	}{
		{"5/s", kyc.Rate{Count: 5, Per: time.Second}},
		{"300/m", kyc.Rate{Count: 300, Per: time.Minute}},
		{" 1000000/h ", kyc.Rate{Count: 1_000_000, Per: time.Hour}},
	} {
		got, err := kyc.ParseRate(c.in)
		if err != nil || got != c.want || got.String() != strings.TrimSpace(c.in) {
			t.Errorf("ParseRate(%q) = %v, %v (%q); want %v", c.in, got, err, got.String(), c.want)
		}
	}
	for _, bad := range []string{"", "5", "5/d", "0/s", "-1/s", "1000001/s", "x/s", "5/s/s", "5/S"} {
		if r, err := kyc.ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) = %v, want an error", bad, r)
		}
	}
}

func TestLimitFor(t *testing.T) {
	def := kyc.RateLimit{Rate: kyc.Rate{Count: 5, Per: time.Second}, Burst: 10}
	own := kyc.Rate{Count: 300, Per: time.Minute}
	for _, c := range []struct {
		name string
		acct kyc.Account
		want kyc.RateLimit
	}{
		{"defaults", kyc.Account{}, def},
		{"own burst", kyc.Account{Burst: 3}, kyc.RateLimit{Rate: def.Rate, Burst: 3}},
		{"own rate: one period's count at once", kyc.Account{RateLimit: &own}, kyc.RateLimit{Rate: own, Burst: 300}},
		{"both", kyc.Account{RateLimit: &own, Burst: 7}, kyc.RateLimit{Rate: own, Burst: 7}},
	} {
		if got := def.LimitFor(&c.acct); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}
