package schema

import (
	"strings"
	"testing"
)

func TestHidden(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"plain text", false},
		{"tab\tinside", true},
		{"é 周 \u00a0", false},
		{"line\nbreak", true},
		{"carriage\rreturn", true},
		{"\x00", true},
		{"\x1f", true},
		{"\x7f", true},
		{"\u0085", true},
		{"\u009b", true},
		{"\u2028", true},
		{"\u2029", true},
		{"\v", true},
		{"right-to-left \u202e override", true},
		{"isolate \u2067", true},
		{"zero\u200bwidth", true},
		{"zero width\u200djoiner", true},
		{"\ufeffbyte order mark", true},
		{"soft\u00adhyphen", true},
	}
	for _, tt := range tests {
		if got := strings.ContainsFunc(tt.s, Hidden); got != tt.want {
			t.Errorf("Hidden in %q = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestNearest(t *testing.T) {
	known := []Field{{Name: "customerName"}, {Name: "phoneNo"}, {Name: "email"}, {Name: "address"}}
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"phoneNumber", "phoneNo", true},
		{"emial", "email", true},
		{"customer_name", "customerName", true},
		{"dob", "", false},
		{"middleName", "", false},
		{strings.Repeat("x", 200), "", false},
	}
	for _, tt := range tests {
		got, ok := nearest(tt.name, known)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("nearest(%.20q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}
