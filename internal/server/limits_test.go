package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/server"
)

func limitsURL(s *kyctest.Server, id string) string {
	return s.URL + "/v1/customer_profile/" + id + "/transaction-limits"
}

func usageBody(kind, amount, ref string) []byte {
	return []byte(fmt.Sprintf(`{"data":{"attributes":{"type":%q,"amount":%q,"reference":%q}}}`, kind, amount, ref))
}

// useLimit records a usage and returns the status and body.
func useLimit(t *testing.T, s *kyctest.Server, id, kind, amount, ref string) (*http.Response, []byte) {
	t.Helper()
	return call(t, http.MethodPost, limitsURL(s, id)+"/usage", s.APIKey, "application/json", usageBody(kind, amount, ref))
}

func limitsOf(t *testing.T, s *kyctest.Server, id string) kyc.LimitsAttributes {
	t.Helper()
	resp, b := call(t, http.MethodGet, limitsURL(s, id), s.APIKey, "", nil)
	doc := decodeAs[kyc.LimitsDocument](t, b)
	if resp.StatusCode != http.StatusOK || doc.Data.ID != kyc.LimitsID || doc.Data.Type != kyc.LimitsType {
		t.Fatalf("limits: %d %s", resp.StatusCode, b)
	}
	return doc.Data.Attributes
}

// TestLimitsUsage: no limits before verification; the tier the profile's data earns after
// (the sample profile expects 5,001–10,000 a year: "standard"); usage recorded once per
// reference; the three published refusals.
func TestLimitsUsage(t *testing.T) {
	kyctest.EachServer(t, server.Config{Env: server.Sandbox}, func(t *testing.T, s *kyctest.Server) {
		id := createProfiles(t, s, s.APIKey, 1)[0]
		zero := kyc.LimitsAttributes{CustomerProfileID: id, TotalAnnualPaymentLimit: "0.0", AvailableAnnualPaymentLimit: "0.0",
			TotalAnnualPayoutLimit: "0.0", AvailableAnnualPayoutLimit: "0.0", TransactionSizeLimit: "0.0"}
		if got := limitsOf(t, s, id); got != zero {
			t.Errorf("pending profile's limits %+v, want zero", got)
		}
		resp, b := useLimit(t, s, id, "payment", "1", "r0")
		if e := wantError(t, resp, b, http.StatusBadRequest, kyc.CodeConditions); e.Message != "Customer Profile Is Not Verified" {
			t.Errorf("usage before verification: %q", e.Message)
		}
		decide(t, s, id, verifyBody)
		steps := []struct {
			kind, amount, ref string
			status            int
			code, message     string
			availablePayment  string
		}{
			{"payment", "20000.01", "r1", 400, kyc.CodeConditions, "Amount Exceed Limit", ""},
			{"payment", "15000", "r2", 200, "", "", "35000.0"},
			{"payment", "15000", "r2", 200, "", "", "35000.0"}, // the same reference: recorded once
			{"payment", "15000.5", "r2", 422, kyc.CodeDuplicateKey, "", ""},
			{"payout", "15000", "r2", 422, kyc.CodeDuplicateKey, "", ""},
			{"payment", "20000", "r3", 200, "", "", "15000.0"},
			{"payment", "15000.000001", "r4", 400, kyc.CodeConditions, "Annual Limit", ""},
			{"payout", "20000", "r5", 200, "", "", "15000.0"},
			{"payment", "-5", "r6", 400, kyc.CodeInvalid, "", ""},
		}
		for _, st := range steps {
			resp, b := useLimit(t, s, id, st.kind, st.amount, st.ref)
			if st.status != http.StatusOK {
				if e := wantError(t, resp, b, st.status, st.code); st.message != "" && e.Message != st.message {
					t.Errorf("%s %s: %q, want %q", st.kind, st.amount, e.Message, st.message)
				}
				continue
			}
			if got := decodeAs[kyc.LimitsDocument](t, b).Data.Attributes; resp.StatusCode != 200 || got.AvailableAnnualPaymentLimit != st.availablePayment {
				t.Errorf("%s %s %s: %d %s", st.kind, st.amount, st.ref, resp.StatusCode, b)
			}
		}
		want := kyc.LimitsAttributes{CustomerProfileID: id, TotalAnnualPaymentLimit: "50000.0", AvailableAnnualPaymentLimit: "15000.0",
			TotalAnnualPayoutLimit: "50000.0", AvailableAnnualPayoutLimit: "30000.0", TransactionSizeLimit: "20000.0"}
		if got := limitsOf(t, s, id); got != want {
			t.Errorf("limits %+v, want %+v", got, want)
		}
		resp, b = call(t, http.MethodGet, limitsURL(s, "customer_profile_nope"), s.APIKey, "", nil)
		wantError(t, resp, b, http.StatusBadRequest, kyc.CodeNotFound)
	})
}

// TestConcurrentUsageNeverOverdraws: 40 payments of 2,500 at once, through two instances
// over one database, against an annual limit of 50,000: exactly 20 are recorded, on SQLite
// (two handles on one file) and PostgreSQL; three rounds, a profile each, since a race
// that is lost once in a while must still fail the test.
func TestConcurrentUsageNeverOverdraws(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		a := kyctest.Serve(t, kyctest.OpenDB(t, dsn), server.Config{Env: server.Sandbox})
		b := kyctest.Serve(t, kyctest.OpenDB(t, dsn), server.Config{Env: server.Sandbox})
		a.AccountID, a.APIKey = kyctest.NewAccount(t, a.DB, "platform")
		b.AccountID, b.APIKey = a.AccountID, a.APIKey
		for _, id := range createProfiles(t, a, a.APIKey, 3) {
			decide(t, a, id, verifyBody)
			if ok := payAtOnce(t, []*kyctest.Server{a, b}, id, 40, "2500"); ok != 20 {
				t.Errorf("%d usages recorded, want 20", ok)
			}
			if got := limitsOf(t, b, id); got.AvailableAnnualPaymentLimit != "0.0" {
				t.Errorf("available %s, want 0.0", got.AvailableAnnualPaymentLimit)
			}
		}
	})
}

// payAtOnce sends n payments of amount at the same moment, alternating between servers,
// and returns how many were recorded; every refusal must be the annual limit's.
func payAtOnce(t *testing.T, servers []*kyctest.Server, id string, n int, amount string) int {
	reqs := make([]*http.Request, n)
	for i := range reqs {
		s := servers[i%len(servers)]
		reqs[i] = newRequest(t, http.MethodPost, limitsURL(s, id)+"/usage", s.APIKey, usageBody("payment", amount, fmt.Sprint(id, "-", i)))
	}
	ok := 0
	for i, ans := range together(reqs...) {
		switch {
		case ans.err != nil:
			t.Errorf("usage %d: %v", i, ans.err)
		case ans.status == http.StatusOK:
			ok++
		case !strings.Contains(string(ans.body), "Annual Limit"):
			t.Errorf("usage %d: %d %s", i, ans.status, ans.body)
		}
	}
	return ok
}
