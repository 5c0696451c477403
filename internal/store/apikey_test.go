package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
)

func TestCreateAPIKey(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		c := newClock(db)
		a := newAccount(t, db, "acme")
		expires := c.t.Add(24 * time.Hour)
		secret, key, err := db.CreateAPIKey(ctx, a.ID, "ci", &expires)
		if err != nil {
			t.Fatalf("CreateAPIKey: %v", err)
		}

		if !regexp.MustCompile(`^kyc_[A-Za-z0-9_-]{43}$`).MatchString(secret) {
			t.Errorf("secret %q does not match kyc_ + 43 base64url characters", secret)
		}
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(secret, "kyc_"))
		if err != nil || len(raw)*8 < 256 {
			t.Errorf("secret carries %d bits (%v), want at least 256", len(raw)*8, err)
		}
		want := &kyc.APIKey{
			ID: key.ID, AccountID: a.ID, Name: "ci", Hint: secret[4:12],
			CreatedAt: c.t, ExpiresAt: &expires,
		}
		if diff := cmp.Diff(want, key); diff != "" {
			t.Errorf("CreateAPIKey (-want +got):\n%s", diff)
		}
		keys, err := db.FindAPIKeys(ctx, a.ID)
		if err != nil {
			t.Fatalf("FindAPIKeys: %v", err)
		}
		if diff := cmp.Diff([]kyc.APIKey{*want}, keys); diff != "" {
			t.Errorf("FindAPIKeys (-want +got):\n%s", diff)
		}

		// What is stored is the hash, and no column holds the secret or its random part.
		var hash []byte
		var row string
		err = db.sql.QueryRowContext(ctx,
			`SELECT hash, id || name || hint || created_at || expires_at FROM api_keys`).Scan(&hash, &row)
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256([]byte(secret)); !bytes.Equal(hash, sum[:]) {
			t.Errorf("stored hash %x, want SHA-256 of the secret %x", hash, sum)
		}
		row += fmt.Sprintf("%x", hash)
		if strings.Contains(row, secret[4:]) || strings.Contains(strings.ToLower(row), fmt.Sprintf("%x", raw)) {
			t.Errorf("the api_keys row holds the secret: %q", row)
		}
	})
}

func TestCreateAPIKeyErrors(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		c := newClock(db)
		a := newAccount(t, db, "acme")
		_, _, err := db.CreateAPIKey(ctx, "account_unknown", "ci", nil)
		wantError(t, err, kyc.CodeNoRecord, http.StatusNotFound)

		past := c.t.Add(-time.Second)
		_, _, err = db.CreateAPIKey(ctx, a.ID, "ci", &past)
		wantError(t, err, kyc.CodeInvalid, http.StatusBadRequest)
	})
}

func TestFindAccountByAPIKey(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		c := newClock(db)
		start := c.t
		a := newAccount(t, db, "acme")
		newKey := func(expiresAt *time.Time) (string, string) {
			secret, key, err := db.CreateAPIKey(ctx, a.ID, "k", expiresAt)
			if err != nil {
				t.Fatal(err)
			}
			return secret, key.ID
		}
		expiry := start.Add(time.Hour)
		active, activeID := newKey(nil)
		expiring, expiringID := newKey(&expiry)
		keyIDs := map[string]string{active: activeID, expiring: expiringID}
		revoked, revokedID := newKey(nil)
		if err := db.RevokeAPIKey(ctx, revokedID); err != nil {
			t.Fatalf("RevokeAPIKey: %v", err)
		}
		unknown, _ := newSecret()

		for _, tt := range []struct {
			name   string
			secret string
			now    time.Time
			ok     bool
		}{
			{"active", active, start, true},
			{"active much later", active, start.AddDate(10, 0, 0), true},
			{"before expiry", expiring, expiry.Add(-time.Microsecond), true},
			{"at expiry", expiring, expiry, false},
			{"after expiry", expiring, expiry.Add(time.Minute), false},
			{"revoked", revoked, start, false},
			{"unknown", unknown, start, false},
			{"empty", "", start, false},
			{"without prefix", strings.TrimPrefix(active, "kyc_"), start, false},
			{"truncated", active[:len(active)-1], start, false},
		} {
			t.Run(tt.name, func(t *testing.T) {
				c.t = tt.now
				got, err := db.FindAccountByAPIKey(ctx, tt.secret)
				if !tt.ok {
					e := wantError(t, err, kyc.CodeUnauthorized, http.StatusUnauthorized)
					if e.Message != "Invalid API Key" {
						t.Errorf("got message %q, want the published one", e.Message)
					}
					return
				}
				if err != nil {
					t.Fatalf("FindAccountByAPIKey: %v", err)
				}
				want := *a
				want.KeyID = keyIDs[tt.secret] // the key the request authenticated with
				if diff := cmp.Diff(&want, got); diff != "" {
					t.Errorf("FindAccountByAPIKey (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestRevokeAPIKey(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		c := newClock(db)
		a := newAccount(t, db, "acme")
		_, key, err := db.CreateAPIKey(ctx, a.ID, "ci", nil)
		if err != nil {
			t.Fatal(err)
		}
		revokedAt := c.t
		for range 2 { // a second revocation is not an error and keeps the first time
			if err := db.RevokeAPIKey(ctx, key.ID); err != nil {
				t.Fatalf("RevokeAPIKey: %v", err)
			}
			c.t = c.t.Add(time.Hour)
		}
		keys, err := db.FindAPIKeys(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) != 1 || keys[0].RevokedAt == nil || !keys[0].RevokedAt.Equal(revokedAt) {
			t.Errorf("FindAPIKeys after revoking: got %+v, want RevokedAt %v", keys, revokedAt)
		}

		err = db.RevokeAPIKey(ctx, "apikey_unknown")
		e := wantError(t, err, kyc.CodeNoRecord, http.StatusNotFound)
		if e.Message != "API key not found" {
			t.Errorf("got message %q", e.Message)
		}
	})
}
