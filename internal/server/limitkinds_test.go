package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
)

// TestLimitsByKind: a business CP+ profile has daily limits from its
// monthlyTransactionVolume ("100001_TO_500000": medium, 250,000 a day) and is refused a
// personal source of wealth; a regular CP profile has no limits and takes no RFI.
func TestLimitsByKind(t *testing.T) {
	eachKindServer(t, func(t *testing.T, s kindServer) {
		ctx := context.Background()
		biz, err := s.cpPlus.CreateProfileJSON(ctx, kyctest.JSON(kyctest.ValidBody(kyc.BusinessCPPlus)))
		if err != nil {
			t.Fatal(err)
		}
		id := biz.Data.ID
		if _, err := s.cpPlus.SandboxDecide(ctx, id, kyc.Decision{Status: kyc.StatusVerified}); err != nil {
			t.Fatal(err)
		}
		want := kyc.LimitsAttributes{CustomerProfileID: id, TotalDailyPaymentLimit: "250000.0", AvailableDailyPaymentLimit: "50000.0",
			TotalDailyPayoutLimit: "250000.0", AvailableDailyPayoutLimit: "250000.0", TransactionSizeLimit: "250000.0"}
		refusals := []struct{ amount, message string }{{"250000.01", "Amount Exceed Limit"}, {"200000", ""}, {"50000.01", "Daily Limit"}}
		for i, r := range refusals {
			_, err := s.cpPlus.RecordUsage(ctx, id, kyc.UsagePayment, r.amount, "ref-"+r.amount)
			if e := kyc.AsError(err); r.message == "" && err != nil || r.message != "" && (e == nil || e.Message != r.message) {
				t.Errorf("usage %d (%s): %v, want %q", i, r.amount, err, r.message)
			}
		}
		if got, err := s.cpPlus.Limits(ctx, id); err != nil || got.Data.Attributes != want {
			t.Errorf("business limits: %v %+v, want %+v", err, got, want)
		}
		_, err = s.cpPlus.RequestLimitsUpdate(ctx, id, json.RawMessage(`{"employmentIncome":{"document":"https://x.example/a.pdf"}}`))
		if e := kyc.AsError(err); e == nil || e.Message != "Invalid sourceOfwealth `employmentIncome` for Business customer profile." {
			t.Errorf("personal source for a business profile: %v", err)
		}

		cp, err := s.cp.CreateProfileJSON(ctx, kyctest.JSON(kyctest.ValidBody(kyc.PersonalCP)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.cp.Limits(ctx, cp.Data.ID)
		wantClientCode(t, err, http.StatusBadRequest, kyc.CodeConditions)
		_, err = s.cp.SandboxCreateRFI(ctx, cp.Data.ID, []client.RFIQuestion{{Text: "Why?", Type: kyc.ReplyText, Required: true}}, 0)
		wantClientCode(t, err, http.StatusBadRequest, kyc.CodeConditions)
	})
}

func wantClientCode(t *testing.T, err error, status int, code string) {
	t.Helper()
	if e := kyc.AsError(err); e == nil || e.Status != status || e.Code != code {
		t.Errorf("got %v, want %d %s", err, status, code)
	}
}
