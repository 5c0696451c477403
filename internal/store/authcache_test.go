package store

import (
	"errors"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/pgtest"
)

// openWithTTL opens a second instance over the database dsn with the given cache TTL.
func openWithTTL(t *testing.T, dsn string, ttl time.Duration) *DB {
	t.Helper()
	db, err := OpenWith(t.Context(), dsn, Options{Keys: KeyOptions{KEK: pgtest.KEKOf(dsn)}, AuthCacheTTL: ttl})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func wantInvalidKey(t *testing.T, db *DB, secret, when string) {
	t.Helper()
	if _, err := db.FindAccountByAPIKey(t.Context(), secret); !errors.Is(err, kyc.ErrInvalidAPIKey) {
		t.Fatalf("%s: got %v, want the invalid API key error", when, err)
	}
}

// TestAuthCacheRevocation: a revocation through the instance that cached the key applies
// to its very next lookup; one through another instance applies there once the TTL has
// passed since the key was read, and not before with a long TTL (the cache is used); with
// the cache off, at once.
func TestAuthCacheRevocation(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		a := newTestDB(t, dsn)
		long, short, off := openWithTTL(t, dsn, time.Hour), openWithTTL(t, dsn, 200*time.Millisecond), openWithTTL(t, dsn, -1)
		acct := newAccount(t, a, "acme")
		secret, key, err := a.CreateAPIKey(ctx, acct.ID, "k", nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, db := range []*DB{a, long, short, off} {
			got, err := db.FindAccountByAPIKey(ctx, secret)
			if err != nil || got.ID != acct.ID || got.KeyID != key.ID {
				t.Fatalf("before revocation: got %+v, %v", got, err)
			}
		}
		if err := a.RevokeAPIKey(ctx, key.ID); err != nil {
			t.Fatal(err)
		}
		read := time.Now()
		wantInvalidKey(t, a, secret, "through the instance that revoked it")
		wantInvalidKey(t, off, secret, "through another instance without the cache")
		if got, err := long.FindAccountByAPIKey(ctx, secret); err != nil || got.ID != acct.ID {
			t.Fatalf("through another instance with a TTL of an hour: got %+v, %v, want the cached account", got, err)
		}
		time.Sleep(200*time.Millisecond - time.Since(read))
		wantInvalidKey(t, short, secret, "through another instance after its TTL")
	})
}

// TestAuthCacheChangesThroughOneInstance: every change of an account, an API key or a
// public key through an instance empties its cache, even with a TTL of an hour.
func TestAuthCacheChangesThroughOneInstance(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		db := openWithTTL(t, dsn, time.Hour)
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		acct := newAccount(t, db, "acme")
		secret, _, err := db.CreateAPIKey(ctx, acct.ID, "k", nil)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := db.CreatePublicKey(ctx, acct.ID, "one", newPublicKey(t))
		if err != nil {
			t.Fatal(err)
		}
		// The last enabled key cannot be disabled while signing is on.
		if _, err := db.CreatePublicKey(ctx, acct.ID, "two", newPublicKey(t)); err != nil {
			t.Fatal(err)
		}
		lookup := func() (*kyc.Account, *kyc.PublicKey) {
			t.Helper()
			a, err := db.FindAccountByAPIKey(ctx, secret)
			if err != nil {
				t.Fatal(err)
			}
			k, err := db.FindPublicKeyByID(ctx, pub.ID)
			if err != nil {
				t.Fatal(err)
			}
			return a, k
		}
		lookup()
		if err := db.EnableSigning(ctx, acct.ID); err != nil {
			t.Fatal(err)
		}
		if a, _ := lookup(); !a.SigningEnabled {
			t.Errorf("signing enabled through the instance: the account still reads signing off")
		}
		if _, err := db.UpdateAccountModel(ctx, acct.ID, kyc.ModelCP); err != nil {
			t.Fatal(err)
		}
		if a, _ := lookup(); a.Model != kyc.ModelCP {
			t.Errorf("model changed through the instance: still %s", a.Model)
		}
		if err := db.DisablePublicKey(ctx, pub.ID); err != nil {
			t.Fatal(err)
		}
		if _, k := lookup(); k.Enabled {
			t.Errorf("public key disabled through the instance: still enabled")
		}
		if err := db.DisableSigning(ctx, acct.ID); err != nil {
			t.Fatal(err)
		}
		if a, _ := lookup(); a.SigningEnabled {
			t.Errorf("signing disabled through the instance: the account still reads signing on")
		}
		if err := db.DeletePublicKey(ctx, pub.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindPublicKeyByID(ctx, pub.ID); !errors.Is(err, kyc.ErrPublicKeyNotFound) {
			t.Errorf("public key deleted through the instance: got %v, want not found", err)
		}
	})
}

// TestAuthCacheKeyExpiry: a cached key is refused from the moment it expires.
func TestAuthCacheKeyExpiry(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		c := newClock(db)
		acct := newAccount(t, db, "acme")
		expires := c.t.Add(time.Hour)
		secret, _, err := db.CreateAPIKey(ctx, acct.ID, "k", &expires)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindAccountByAPIKey(ctx, secret); err != nil {
			t.Fatal(err)
		}
		c.t = expires
		wantInvalidKey(t, db, secret, "cached, at its expiry")
	})
}

// TestAuthCacheStaleRead: what a lookup read before a change is not kept after it.
func TestAuthCacheStaleRead(t *testing.T) {
	c := newAuthCache(time.Hour)
	gen := c.generation()
	c.invalidate() // a revocation committed while the lookup read
	c.putAccount(gen, [32]byte{1}, &kyc.Account{ID: "account_1"}, nil)
	c.putPublicKey(gen, &kyc.PublicKey{ID: "key_1"})
	if _, ok := c.account([32]byte{1}, time.Now()); ok {
		t.Errorf("an account read before a change is served after it")
	}
	if _, ok := c.publicKey("key_1"); ok {
		t.Errorf("a public key read before a change is served after it")
	}
}
