package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
)

// TestResendByType: the published resend queues again the latest event of the type about
// the object, at most once every 5 minutes, with the published 404s and 429 in the flat
// shape; on both databases.
func TestResendByType(t *testing.T) {
	clock := kyctest.NewClock(time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC))
	kyctest.EachServer(t, server.Config{Env: server.Sandbox, Now: clock.Now}, func(t *testing.T, s *kyctest.Server) {
		ctx := context.Background()
		c := client.New(s.URL+"/v1", s.APIKey)
		id := createProfiles(t, s, s.APIKey, 1)[0]
		rfi := raiseRFI(t, s, id, rfiQuestions).Data.ID
		decide(t, s, id, `{"data":{"attributes":{"verificationStatus":"rejected","rejectionCodes":[101]}}}`)

		e, err := c.ResendWebhookEventByType(ctx, "cp-rfi", rfi)
		if err != nil || e.Event != kyc.EventRFIStatusUpdated || e.State != kyc.EventPending {
			t.Fatalf("resend cp-rfi: %v %+v", err, e)
		}
		resp, b := call(t, http.MethodPost, s.URL+"/v1/webhook-events/cp-verification/resend/"+id, s.APIKey, "", nil)
		if got := decodeAs[kyc.WebhookEventDocument](t, b).Data; resp.StatusCode != http.StatusAccepted || got.Event != kyc.EventVerificationStatusUpdated {
			t.Errorf("resend cp-verification: %d %s", resp.StatusCode, b)
		}
		resp, b = call(t, http.MethodPost, s.URL+"/v1/webhook-events/cp-rfi/resend/"+rfi, s.APIKey, "", nil)
		if e := wantError(t, resp, b, http.StatusTooManyRequests, kyc.CodeRateLimited); !e.Flat() {
			t.Errorf("a second resend within 5 minutes: %s", b)
		}
		clock.Advance(5 * time.Minute)
		if _, err := c.ResendWebhookEventByType(ctx, "cp-rfi", rfi); err != nil {
			t.Errorf("resend after 5 minutes: %v", err)
		}
		for _, tt := range []struct{ path, message string }{
			{"cp-nothing/resend/" + id, "Invalid event type"},
			{"cp-txnlimits/resend/" + id, "Record not found"},
			{"cp-bankaccount/resend/" + id, "Record not found"},
			{"cp-rfi/resend/" + id, "Record not found"},
		} {
			resp, b := call(t, http.MethodPost, s.URL+"/v1/webhook-events/"+tt.path, s.APIKey, "", nil)
			if e := wantError(t, resp, b, http.StatusNotFound, kyc.CodeNoRecord); e.Message != tt.message || !e.Flat() {
				t.Errorf("%s: %s", tt.path, b)
			}
		}
		_, otherKey := kyctest.NewAccount(t, s.DB, "other")
		resp, b = call(t, http.MethodPost, s.URL+"/v1/webhook-events/cp-verification/resend/"+id, otherKey, "", nil)
		wantError(t, resp, b, http.StatusNotFound, kyc.CodeNoRecord)
	})
}
