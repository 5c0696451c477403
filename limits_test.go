package kyc

import (
	"testing"
	"time"
)

func TestAmount(t *testing.T) {
	for _, tt := range []struct {
		in, out string
		ok      bool
	}{
		{"1000000", "1000000.0", true}, {"12.5", "12.5", true}, {"0.000001", "0.000001", true},
		{"300000.10", "300000.1", true}, {"1000000000000", "1000000000000.0", true},
		{"1000000000000.000001", "", false}, {"1.0000001", "", false}, {"-1", "", false}, {"1e6", "", false},
		{".5", "", false}, {"5.", "", false}, {"", "", false}, {" 5", "", false}, {"1,000", "", false},
	} {
		a, ok := ParseAmount(tt.in)
		if ok != tt.ok || ok && a.String() != tt.out {
			t.Errorf("ParseAmount(%q) = %s, %v; want %s, %v", tt.in, a, ok, tt.out, tt.ok)
		}
	}
}

func TestLimitsPolicy(t *testing.T) {
	p := DefaultLimitsPolicy()
	subject := func(business bool, status Status, attr, value string) LimitSubject {
		return LimitSubject{Status: status, Business: business, CPPlus: true, Attributes: map[string]any{attr: value}}
	}
	for _, tt := range []struct {
		s                      LimitSubject
		tier                   string
		payment, transactionSz string
	}{
		{subject(false, StatusVerified, "expectedAnnualTransactionAmount", "0_TO_1000"), "basic", "10000.0", "5000.0"},
		{subject(false, StatusVerified, "expectedAnnualTransactionAmount", "10001_TO_30000"), "standard", "50000.0", "20000.0"},
		{subject(false, StatusVerified, "expectedAnnualTransactionAmount", "GT_30000"), "enhanced", "200000.0", "50000.0"},
		{subject(true, StatusVerified, "monthlyTransactionVolume", "0_TO_100000"), "small", "50000.0", "50000.0"},
		{subject(true, StatusVerified, "monthlyTransactionVolume", "GT_10000000"), "large", "1000000.0", "1000000.0"},
		{subject(false, StatusPending, "expectedAnnualTransactionAmount", "GT_30000"), "", "0.0", "0.0"},
		{subject(true, StatusRejected, "monthlyTransactionVolume", "GT_10000000"), "", "0.0", "0.0"},
	} {
		l := p.Limits(tt.s, nil, 0, 0)
		if l.Tier != tt.tier || l.Payment.String() != tt.payment || l.TransactionSize.String() != tt.transactionSz {
			t.Errorf("%+v: tier %q payment %s size %s; want %q %s %s", tt.s, l.Tier, l.Payment, l.TransactionSize, tt.tier, tt.payment, tt.transactionSz)
		}
	}
	low := Amount(1000e6)
	if l := p.Limits(subject(false, StatusVerified, "x", "y"), &low, 0, 0); l.Payment.String() != "200000.0" || l.Granted {
		t.Errorf("a grant below the tier lowered it: %+v", l)
	}
}

func TestParseLimitsPolicyRefuses(t *testing.T) {
	tier := `{"tier":"a","payment":"1","payout":"1","transactionSize":"1"}`
	for _, bad := range []string{
		`{"personal":[], "business":[` + tier + `]}`,
		`{"personal":[{"tier":"a","when":{"x":["y"]},"payment":"1","payout":"1","transactionSize":"1"}], "business":[` + tier + `]}`,
		`{"personal":[` + tier + `,` + tier + `], "business":[` + tier + `]}`,
		`{"personal":[{"tier":"a","payment":"one","payout":"1","transactionSize":"1"}], "business":[` + tier + `]}`,
		`{"personal":[` + tier + `], "business":[` + tier + `], "other":1}`,
	} {
		if _, err := ParseLimitsPolicy([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestUsageSince(t *testing.T) {
	now := time.Date(2026, 5, 10, 17, 30, 0, 0, time.UTC) // 01:30 on 11 May in Singapore
	if got, want := UsageSince(true, now), time.Date(2026, 5, 10, 16, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("business day starts %s, want %s", got, want)
	}
	if got, want := UsageSince(false, now), time.Date(2025, 5, 10, 17, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("personal year starts %s, want %s", got, want)
	}
}
