package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
)

const wealth = `{"employmentIncome":{"document":"https://files.example.com/payslip.pdf"},` +
	`"others":{"details":"Rental income","document":"https://files.example.com/lease.pdf"}}`

// TestLimitsUpdateRequest walks a limit increase through the Go client on both databases:
// the published refusal of a business source of wealth for a personal profile, a pending
// request (one at a time), the sandbox approval with the limit granted, the limits raised,
// and the two events with their bodies.
func TestLimitsUpdateRequest(t *testing.T) {
	kyctest.EachServer(t, server.Config{Env: server.Sandbox}, func(t *testing.T, s *kyctest.Server) {
		ctx := context.Background()
		c := client.New(s.URL+"/v1", s.APIKey)
		id := createProfiles(t, s, s.APIKey, 1)[0]
		decide(t, s, id, verifyBody)

		resp, b := call(t, http.MethodPost, limitsURL(s, id)+"-update-requests", s.APIKey, "application/json",
			[]byte(`{"data":{"attributes":{"sourceOfWealth":{"investorFunds":{"document":"https://xyz.com/download-link"}}}}}`))
		if e := wantError(t, resp, b, http.StatusBadRequest, kyc.CodeInvalid); e.Flat() ||
			e.Message != "Invalid sourceOfwealth `investorFunds` for Personal customer profile." {
			t.Errorf("business source for a personal profile: %s", b)
		}
		for _, bad := range []string{`{}`, `{"others":{"document":"https://x.example/a.pdf"}}`, `{"cashSavings":{"document":"not a url"}}`} {
			_, err := c.RequestLimitsUpdate(ctx, id, json.RawMessage(bad))
			if e := kyc.AsError(err); e == nil || e.Status != http.StatusBadRequest || e.Flat() {
				t.Errorf("%s: %v", bad, err)
			}
		}
		req, err := c.RequestLimitsUpdate(ctx, id, json.RawMessage(wealth))
		if err != nil {
			t.Fatal(err)
		}
		rid := req.Data.ID
		if !strings.HasPrefix(rid, kyc.LimitRequestIDPrefix) || req.Data.Type != kyc.LimitRequestType || req.Data.Attributes.Status != "pending" {
			t.Errorf("request %+v", req.Data)
		}
		_, err = c.RequestLimitsUpdate(ctx, id, json.RawMessage(wealth))
		if e := kyc.AsError(err); e == nil || e.Code != kyc.CodeConditions || !strings.Contains(e.Message, rid) {
			t.Errorf("second pending request: %v", err)
		}
		if list, err := c.LimitsUpdateRequests(ctx, id); err != nil || len(list.Data) != 1 || list.Data[0].ID != rid {
			t.Errorf("list: %v %+v", err, list)
		}
		_, err = c.LimitsUpdateRequest(ctx, id, kyc.LimitRequestIDPrefix+"nope")
		if e := kyc.AsError(err); e == nil || e.Status != http.StatusNotFound || e.Code != kyc.CodeNoRecord {
			t.Errorf("unknown request: %v", err)
		}
		_, err = c.SandboxDecideLimitsUpdateRequest(ctx, id, rid, "approved", "")
		if e := kyc.AsError(err); e == nil || e.Code != kyc.CodeMissing {
			t.Errorf("approval without a limit: %v", err)
		}
		decided, err := c.SandboxDecideLimitsUpdateRequest(ctx, id, rid, "approved", "300000")
		if err != nil || len(decided.Data) != 1 || decided.Data[0].Attributes.Status != "approved" {
			t.Fatalf("approve: %v %+v", err, decided)
		}
		_, err = c.SandboxDecideLimitsUpdateRequest(ctx, id, rid, "rejected", "")
		if e := kyc.AsError(err); e == nil || e.Code != kyc.CodeConditions {
			t.Errorf("deciding twice: %v", err)
		}
		if got, err := c.LimitsUpdateRequest(ctx, id, rid); err != nil || got.Data.Attributes.Status != "approved" {
			t.Errorf("get: %v", err)
		}
		limits, err := c.Limits(ctx, id)
		if a := limits.Data.Attributes; err != nil || a.TotalAnnualPaymentLimit != "300000.0" || a.TotalAnnualPayoutLimit != "300000.0" || a.TransactionSizeLimit != "20000.0" {
			t.Errorf("limits after approval: %v %+v", err, limits)
		}

		events := wantEvents(t, s, kyc.EventVerificationStatusUpdated, kyc.EventTxnLimitsUpdateRequestStatusUpdated, kyc.EventTxnLimitsUpdated)
		if body := decodeAs[kyc.LimitsDocument](t, events[0].Body); body != *limits {
			t.Errorf("cpTxnLimitsUpdated body %s, want the limits' document", events[0].Body)
		}
		if body := decodeAs[kyc.LimitRequestDocument](t, events[1].Body); body.Data.ID != rid || body.Data.Attributes.Status != "approved" {
			t.Errorf("cpTxnLimitsUpdateRequestStatusUpdated body %s", events[1].Body)
		}
	})
}

// TestLimitsSandboxOnly: the sandbox decision answers 405 STXE-6000 in production.
func TestLimitsSandboxOnly(t *testing.T) {
	s := kyctest.NewServerWith(t, server.Config{Env: server.Production})
	id := createProfiles(t, s, s.APIKey, 1)[0]
	resp, b := call(t, http.MethodPut, s.URL+"/v1/sandbox/customer_profile/"+id+"/transaction-limits-update-requests/x",
		s.APIKey, "application/json", []byte(`{"data":{"attributes":{"status":"rejected"}}}`))
	wantError(t, resp, b, http.StatusMethodNotAllowed, kyc.CodeSandboxOnly)
}
