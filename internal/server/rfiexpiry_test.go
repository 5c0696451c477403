package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/server"
)

// TestRFIExpiryAcrossRestart: an onboarding RFI raised by one server falls due while no
// server runs; the expiry worker of the next server, over the same database, expires it
// and rejects the pending profile with code 405, by the review decision's path, recorded
// with the service as the actor and announced by both events.
func TestRFIExpiryAcrossRestart(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		clock := kyctest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		first := kyctest.Serve(t, kyctest.OpenDB(t, dsn), server.Config{Env: server.Sandbox, Now: clock.Now})
		first.AccountID, first.APIKey = kyctest.NewAccount(t, first.DB, "platform")
		id := createProfiles(t, first, first.APIKey, 1)[0]
		rfi := raiseRFI(t, first, id, `{"data":{"attributes":{"questions":[{"text":"Why?","type":"TEXT","required":true}],"expiryDays":2}}}`).Data.ID
		first.DB.Close() // the first server is gone

		clock.Advance(2*24*time.Hour + time.Minute)
		second := kyctest.Serve(t, kyctest.OpenDB(t, dsn), server.Config{Env: server.Sandbox, Now: clock.Now})
		second.AccountID, second.APIKey = first.AccountID, first.APIKey
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); second.API.ExpireRFIs(ctx, time.Hour) }()
		defer func() { cancel(); <-done }()

		doc := waitForStatus(t, second, id, kyc.StatusRejected)
		a := doc.Data.Attributes
		if a.RiskRating == nil || len(a.RiskRating.Rejections) != 1 || a.RiskRating.Rejections[0].Code != 405 || !*a.IsRetryable {
			t.Errorf("rejection %+v", a.RiskRating)
		}
		_, b := call(t, http.MethodGet, rfiURL(second, id)+"/"+rfi, second.APIKey, "", nil)
		if got := decodeAs[kyc.RFIDocument](t, b).Data.Attributes; got.Active.Status != kyc.RFIExpired || got.Progress.DaysUntilExpiry != 0 {
			t.Errorf("rfi after expiry: %s", b)
		}
		_, b = call(t, http.MethodGet, second.URL+"/v1/kyc/customer_profiles/"+id+"/history", second.APIKey, "", nil)
		h := decodeAs[kyc.History](t, b).Data
		if last := h[len(h)-1]; last.To != kyc.StatusRejected || last.Actor.Type != kyc.ActorSystem || len(last.Codes) != 1 || last.Codes[0] != 405 {
			t.Errorf("history ends with %+v", last)
		}
		wantEvents(t, second, kyc.EventRFIStatusUpdated, kyc.EventRFIStatusUpdated, kyc.EventVerificationStatusUpdated)
	})
}

// waitForStatus polls the profile until it has status s, for at most 10 s.
func waitForStatus(t *testing.T, s *kyctest.Server, id string, want kyc.Status) kyc.Document {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if doc := getDoc(t, s, id); doc.Data.Attributes.VerificationStatus == want {
			return doc
		}
	}
	t.Fatalf("profile %s never became %s", id, want)
	return kyc.Document{}
}

// wantEvents checks the names of the account's webhook events, oldest first.
func wantEvents(t *testing.T, s *kyctest.Server, names ...string) []kyc.WebhookEvent {
	t.Helper()
	events, err := s.DB.FindWebhookEvents(context.Background(), s.AccountID, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := len(events) - 1; i >= 0; i-- {
		got = append(got, events[i].Event)
	}
	if len(got) != len(names) {
		t.Fatalf("events %v, want %v", got, names)
	}
	for i := range names {
		if got[i] != names[i] {
			t.Fatalf("events %v, want %v", got, names)
		}
	}
	return events
}

// TestSandboxExpiryRejects: the sandbox transition to expired has the deadline's effect on
// an onboarding RFI: the profile is rejected with 405, and can then be resubmitted.
func TestSandboxExpiryRejects(t *testing.T) {
	kyctest.EachServer(t, server.Config{Env: server.Sandbox}, func(t *testing.T, s *kyctest.Server) {
		id := createProfiles(t, s, s.APIKey, 1)[0]
		rfi := raiseRFI(t, s, id, rfiQuestions).Data.ID
		resp, b := call(t, http.MethodPut, sandboxRFIURL(s, id)+"/"+rfi+"/transition", s.APIKey, "application/json",
			[]byte(`{"data":{"attributes":{"status":"expired"}}}`))
		if resp.StatusCode != http.StatusOK || decodeAs[kyc.RFIDocument](t, b).Data.Attributes.Active.Status != kyc.RFIExpired {
			t.Fatalf("transition: %d %s", resp.StatusCode, b)
		}
		a := getDoc(t, s, id).Data.Attributes
		if a.VerificationStatus != kyc.StatusRejected || a.RiskRating == nil || a.RiskRating.Rejections[0].Code != 405 {
			t.Errorf("profile after its onboarding RFI expired: %s %+v", a.VerificationStatus, a.RiskRating)
		}
		resp, b = call(t, http.MethodPut, sandboxRFIURL(s, id)+"/"+rfi+"/transition", s.APIKey, "application/json",
			[]byte(`{"data":{"attributes":{"status":"completed"}}}`))
		wantError(t, resp, b, http.StatusBadRequest, kyc.CodeConditions)
	})
}
