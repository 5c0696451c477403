package server_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/server"
	"github.com/openkyc/kyc/internal/webhook"
)

// TestWebhookEventsListAndResend: an event that failed (the receiver was down) is listed
// with its attempt under state=failed, resent through the API, and then delivered.
func TestWebhookEventsListAndResend(t *testing.T) {
	var up atomic.Bool
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if !up.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer rcv.Close()
	s := kyctest.NewServer(t)
	c := client.New(s.URL+"/v1", s.APIKey)
	ctx := t.Context()
	if _, err := c.UpdateWebhook(ctx, map[string]*string{kyc.EventVerificationStatusUpdated: ptr(rcv.URL)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.RotateWebhookSecret(ctx, s.AccountID); err != nil {
		t.Fatal(err)
	}
	p, err := c.CreateProfileJSON(ctx, kyctest.JSON(kyctest.ValidProfile()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SandboxDecide(ctx, p.Data.ID, kyc.Decision{Status: kyc.StatusVerified}); err != nil {
		t.Fatal(err)
	}
	w := &webhook.Worker{DB: s.DB, MaxAttempts: 1, Log: slog.New(slog.DiscardHandler)}
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	failed, err := c.WebhookEvents(ctx, kyc.EventFailed)
	if err != nil || len(failed) != 1 || len(failed[0].Attempts) != 1 || failed[0].Attempts[0].StatusCode != 503 {
		t.Fatalf("failed events: %+v (%v), want one with its 503 attempt", failed, err)
	}
	if pending, err := c.WebhookEvents(ctx, kyc.EventPending); err != nil || len(pending) != 0 {
		t.Errorf("pending: %d (%v), want none", len(pending), err)
	}
	resent, err := c.ResendWebhookEvent(ctx, failed[0].ID)
	if err != nil || resent.State != kyc.EventPending || resent.ID != failed[0].ID {
		t.Fatalf("resend: %+v (%v), want the same event pending", resent, err)
	}
	up.Store(true)
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	all, err := c.WebhookEvents(ctx, "")
	if err != nil || len(all) != 1 || all[0].State != kyc.EventDelivered || len(all[0].Attempts) != 2 {
		t.Fatalf("after the resend: %+v (%v), want delivered after 2 attempts", all, err)
	}
	if all[0].Sequence != 1 || string(all[0].Body) != string(failed[0].Body) {
		t.Errorf("the resend changed the sequence or the body")
	}
}

func TestWebhookEventsRefusals(t *testing.T) {
	s := kyctest.NewServer(t)
	c := client.New(s.URL+"/v1", s.APIKey)
	ctx := t.Context()
	_, err := c.WebhookEvents(ctx, "lost")
	if e := kyc.AsError(err); e == nil || e.Status != 400 || e.Code != kyc.CodeInvalid {
		t.Errorf("state=lost: %v, want 400 XFE12", err)
	}
	resp, body := call(t, http.MethodGet, s.URL+"/v1/webhook-events?page=2", s.APIKey, "", nil)
	wantError(t, resp, body, http.StatusBadRequest, kyc.CodeInvalid)
	_, err = c.ResendWebhookEvent(ctx, "event_nope")
	if e := kyc.AsError(err); e == nil || e.Status != 400 || e.Code != kyc.CodeNotFound {
		t.Errorf("resend of an unknown event: %v, want 400 XFE13", err)
	}
}

// TestWebhookEventPages walks the events two at a time by links.next on both databases: every
// event once, newest first, even when a new event arrives between two pages; a cursor of
// another account and bad page parameters are refused, every problem at once.
func TestWebhookEventPages(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		db := kyctest.OpenDB(t, dsn)
		s := kyctest.Serve(t, db, server.Config{Env: server.Sandbox})
		_, key := kyctest.NewAccount(t, db, "pages")
		c := client.New(s.URL+"/v1", key)
		ctx := t.Context()
		if _, err := c.UpdateWebhook(ctx, map[string]*string{kyc.EventVerificationStatusUpdated: ptr("https://receiver.example/kyc")}); err != nil {
			t.Fatal(err)
		}
		made := 0
		decide := func() {
			body := kyctest.ValidProfile()
			made++
			body["registrationId"] = fmt.Sprintf("S%07dW", made)
			p, err := c.CreateProfileJSON(ctx, kyctest.JSON(body))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.SandboxDecide(ctx, p.Data.ID, kyc.Decision{Status: kyc.StatusVerified}); err != nil {
				t.Fatal(err)
			}
		}
		for range 5 {
			decide()
		}
		all, err := c.WebhookEvents(ctx, "")
		if err != nil || len(all) != 5 {
			t.Fatalf("events: %d (%v), want 5", len(all), err)
		}
		var walked []string
		q := client.EventQuery{Size: 2}
		for pages := 0; ; pages++ {
			page, err := c.WebhookEventPage(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page.Data {
				walked = append(walked, e.ID)
			}
			if pages == 0 {
				decide() // a newer event: it must not shift the pages that follow
			}
			if page.NextCursor == "" {
				break
			}
			q.Before = page.NextCursor
		}
		var want []string
		for _, e := range all {
			want = append(want, e.ID)
		}
		if !slices.Equal(walked, want) {
			t.Errorf("walked %v, want %v", walked, want)
		}
		_, other := kyctest.NewAccount(t, db, "other")
		resp, body := call(t, http.MethodGet, s.URL+"/v1/webhook-events?page%5Bbefore%5D="+want[0], other, "", nil)
		wantError(t, resp, body, http.StatusBadRequest, kyc.CodeInvalid)
		resp, body = call(t, http.MethodGet, s.URL+"/v1/webhook-events?page%5Bsize%5D=0&state=lost", key, "", nil)
		if e := wantError(t, resp, body, http.StatusBadRequest, kyc.CodeInvalid); e == nil || len(e.Details) != 2 {
			t.Errorf("two problems, one answer: %s", body)
		}
	})
}
