package server_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/webhook"
)

// delivered is one callback a receiver got.
type delivered struct {
	path, eventType, signature string
	body                       []byte
}

// TestRFIAndLimitsEventsDelivered: the three new events reach each its own URL, signed like
// every callback (checked here with an HMAC of our own), with X-Event-Type naming them, and
// bodies that are the documents of the RFI, the request and the limits.
func TestRFIAndLimitsEventsDelivered(t *testing.T) {
	var mu sync.Mutex
	var got []delivered
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		got = append(got, delivered{r.URL.Path, r.Header.Get("X-Event-Type"), r.Header.Get("Xfers-Signature"), b})
	}))
	defer rcv.Close()
	s := kyctest.NewServer(t)
	ctx := t.Context()
	c := client.New(s.URL+"/v1", s.APIKey)
	_, err := c.UpdateWebhook(ctx, map[string]*string{
		kyc.EventRFIStatusUpdated: ptr(rcv.URL + "/rfi"), kyc.EventTxnLimitsUpdated: ptr(rcv.URL + "/limits"),
		kyc.EventTxnLimitsUpdateRequestStatusUpdated: ptr(rcv.URL + "/requests"),
	})
	if err != nil {
		t.Fatal(err)
	}
	secret, err := s.DB.RotateWebhookSecret(ctx, s.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	id := createProfiles(t, s, s.APIKey, 1)[0]
	rfi := raiseRFI(t, s, id, rfiQuestions).Data.ID
	if _, err := c.SandboxTransitionRFI(ctx, id, rfi, kyc.RFICompleted); err != nil {
		t.Fatal(err)
	}
	decide(t, s, id, verifyBody)
	req, err := c.RequestLimitsUpdate(ctx, id, json.RawMessage(wealth))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SandboxDecideLimitsUpdateRequest(ctx, id, req.Data.ID, "approved", "80000"); err != nil {
		t.Fatal(err)
	}
	w := &webhook.Worker{DB: s.DB, MaxAttempts: 1, Log: slog.New(slog.DiscardHandler)}
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"/rfi": kyc.EventRFIStatusUpdated, "/limits": kyc.EventTxnLimitsUpdated, "/requests": kyc.EventTxnLimitsUpdateRequestStatusUpdated}
	count := map[string]int{}
	for _, d := range got {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(d.body)
		if d.signature != hex.EncodeToString(mac.Sum(nil)) || want[d.path] != d.eventType {
			t.Errorf("%s: X-Event-Type %q, signature %q", d.path, d.eventType, d.signature)
		}
		count[d.path]++
	}
	if count["/rfi"] != 2 || count["/limits"] != 1 || count["/requests"] != 1 || len(got) != 4 {
		t.Errorf("delivered %v, want 2 RFI events (sent, completed) and one of each limits event; the verification has no URL", count)
	}
	for _, d := range got {
		if d.path == "/limits" {
			if l := decodeAs[kyc.LimitsDocument](t, d.body).Data.Attributes; l.TotalAnnualPaymentLimit != "80000.0" || l.CustomerProfileID != id {
				t.Errorf("cpTxnLimitsUpdated body %s", d.body)
			}
		}
	}
}
