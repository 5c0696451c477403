package store

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWebhookConfiguration(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		acct := newAccount(t, db, "acme")
		empty, err := db.FindWebhook(ctx, acct.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(empty.ID, "webhook_") || len(empty.URLs) != 0 {
			t.Fatalf("got %+v, want an empty configuration with a webhook_ id", empty)
		}
		a, b := "https://a.example/cb", "https://b.example/cb"
		if _, err := db.UpdateWebhook(ctx, acct.ID, map[string]*string{"cpVerificationStatusUpdated": &a, "cpbaCreated": &b}); err != nil {
			t.Fatal(err)
		}
		got, err := db.UpdateWebhook(ctx, acct.ID, map[string]*string{"cpbaCreated": nil})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]string{"cpVerificationStatusUpdated": a}, got.URLs); diff != "" || got.ID != empty.ID {
			t.Errorf("UpdateWebhook (-want +got):\n%s id %s, want %s", diff, got.ID, empty.ID)
		}
		found, err := db.FindWebhook(ctx, acct.ID)
		if err != nil || !cmp.Equal(found, got) {
			t.Errorf("FindWebhook = %+v, %v; want %+v", found, err, got)
		}
	})
}

func TestRotateWebhookSecret(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		acct := newAccount(t, db, "acme")
		first, err := db.RotateWebhookSecret(ctx, acct.ID)
		if err != nil {
			t.Fatal(err)
		}
		second, err := db.RotateWebhookSecret(ctx, acct.ID)
		if err != nil {
			t.Fatal(err)
		}
		if first == second || len(second) != len("whsec_")+64 {
			t.Errorf("got secrets %q then %q, want two different whsec_ + 64 hex", first, second)
		}
		if got, err := db.webhookSecret(ctx, acct.ID); err != nil || got != second {
			t.Errorf("webhookSecret = %q, %v; want the newest", got, err)
		}
		_, err = db.RotateWebhookSecret(ctx, "account_00000000-0000-0000-0000-000000000000")
		wantError(t, err, "STXE-5000", 404)
	})
}
