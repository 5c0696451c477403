package store

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
)

func TestOutboxOnVerifiedAndRejected(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		newClock(db)
		acct := newAccount(t, db, "acme")
		p := newProfile(t, db, acct.ID, "S1234567A")
		reviewer := kyc.Actor{Type: kyc.ActorReviewer, Name: "ann"}
		verified, err := db.DecideProfile(ctx, acct.ID, p.ID, kyc.Decision{Status: kyc.StatusVerified}, reviewer)
		if err != nil {
			t.Fatal(err)
		}
		// A change that keeps the status announces nothing.
		if _, err := db.UpdateProfile(ctx, acct.ID, p.ID, 0, setEmail("new@example.com")); err != nil {
			t.Fatal(err)
		}
		rejected, err := db.DecideProfile(ctx, acct.ID, p.ID, kyc.Decision{Status: kyc.StatusRejected, Codes: []int{101}}, reviewer)
		if err != nil {
			t.Fatal(err)
		}
		events, err := db.FindWebhookEvents(ctx, acct.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 2 {
			t.Fatalf("got %d events, want 2 (verified, rejected)", len(events))
		}
		for i, want := range []*kyc.Profile{rejected, verified} { // newest first
			e := events[i]
			wantBody, _ := json.Marshal(kyc.NewDocument(want, nil))
			if e.Sequence != 2-i || e.State != kyc.EventPending || e.ProfileID != p.ID || e.Event != kyc.EventVerificationStatusUpdated {
				t.Errorf("event %d: %+v, want sequence %d, pending", i, e, 2-i)
			}
			if diff := cmp.Diff(string(wantBody), string(e.Body)); diff != "" {
				t.Errorf("event %d body is not the document at the change (-want +got):\n%s", i, diff)
			}
		}
		if other, err := db.FindWebhookEvents(ctx, newAccount(t, db, "globex").ID, ""); err != nil || len(other) != 0 {
			t.Errorf("another account sees %d events (%v), want none", len(other), err)
		}
	})
}

// TestOutboxFailureUndoesTheChange: the event and the status change commit together or not
// at all. With the outbox table gone, the decision fails and the profile stays pending.
func TestOutboxFailureUndoesTheChange(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		acct := newAccount(t, db, "acme")
		p := newProfile(t, db, acct.ID, "S1234567A")
		if _, err := db.sql.ExecContext(ctx, `ALTER TABLE webhook_events RENAME TO webhook_events_gone`); err != nil {
			t.Fatal(err)
		}
		_, err := db.DecideProfile(ctx, acct.ID, p.ID, kyc.Decision{Status: kyc.StatusVerified}, kyc.Actor{Type: kyc.ActorSandbox})
		if err == nil {
			t.Fatal("the decision committed without its event")
		}
		got, err := db.FindProfileByID(ctx, acct.ID, p.ID)
		if err != nil || got.Status != kyc.StatusPending {
			t.Errorf("status %v (%v), want still pending", got.Status, err)
		}
		history, _ := db.FindProfileHistory(ctx, acct.ID, p.ID)
		if len(history) != 1 {
			t.Errorf("history has %d entries, want only the creation", len(history))
		}
	})
}

func TestResendWebhookEvent(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		acct := newAccount(t, db, "acme")
		p := newProfile(t, db, acct.ID, "S1234567A")
		if _, err := db.DecideProfile(ctx, acct.ID, p.ID, kyc.Decision{Status: kyc.StatusVerified}, kyc.Actor{Type: kyc.ActorSandbox}); err != nil {
			t.Fatal(err)
		}
		events, err := db.FindWebhookEvents(ctx, acct.ID, kyc.EventPending)
		if err != nil || len(events) != 1 {
			t.Fatalf("pending: %d, %v", len(events), err)
		}
		d, err := db.ClaimWebhookEvents(ctx, "w", db.Now(), time.Minute, 10)
		if err != nil || len(d) != 1 {
			t.Fatalf("claim: %d, %v", len(d), err)
		}
		err = db.RecordAttempt(ctx, "w", &d[0], kyc.Attempt{At: db.Now(), Error: "down"}, Outcome{State: kyc.EventFailed, NextAt: db.Now()})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.ResendWebhookEvent(ctx, acct.ID, events[0].ID)
		if err != nil || got.State != kyc.EventPending || len(got.Attempts) != 1 || got.Attempts[0].Error != "down" {
			t.Fatalf("resend: %+v, %v; want pending with its failed attempt kept", got, err)
		}
		_, err = db.ResendWebhookEvent(ctx, newAccount(t, db, "globex").ID, events[0].ID)
		wantError(t, err, kyc.CodeNotFound, http.StatusBadRequest)
	})
}
