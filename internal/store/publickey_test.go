package store

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
)

func newPublicKey(t *testing.T) ed25519.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

func TestPublicKeys(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		c := newClock(db)
		a, _ := db.CreateAccount(ctx, "acme")
		pub := newPublicKey(t)
		k, err := db.CreatePublicKey(ctx, a.ID, "laptop", pub)
		if err != nil {
			t.Fatalf("CreatePublicKey: %v", err)
		}
		want := &kyc.PublicKey{ID: k.ID, AccountID: a.ID, Name: "laptop", Key: pub, Enabled: true, CreatedAt: c.t.Truncate(time.Microsecond)}
		if diff := cmp.Diff(want, k); diff != "" || !strings.HasPrefix(k.ID, "pk_") {
			t.Errorf("CreatePublicKey %s (-want +got):\n%s", k.ID, diff)
		}
		got, err := db.FindPublicKeyByID(ctx, k.ID)
		if diff := cmp.Diff(want, got); err != nil || diff != "" {
			t.Errorf("FindPublicKeyByID: %v (-want +got):\n%s", err, diff)
		}

		if err := db.DisablePublicKey(ctx, k.ID); err != nil {
			t.Fatalf("DisablePublicKey: %v", err)
		}
		if got, _ := db.FindPublicKeyByID(ctx, k.ID); got.Enabled {
			t.Error("the key is still enabled after DisablePublicKey")
		}
		if err := db.EnablePublicKey(ctx, k.ID); err != nil {
			t.Fatalf("EnablePublicKey: %v", err)
		}
		if err := db.DeletePublicKey(ctx, k.ID); err != nil {
			t.Fatalf("DeletePublicKey: %v", err)
		}
		_, err = db.FindPublicKeyByID(ctx, k.ID)
		wantError(t, err, kyc.CodeNoRecord, http.StatusNotFound)
		for name, f := range map[string]func() error{
			"enable":  func() error { return db.EnablePublicKey(ctx, k.ID) },
			"disable": func() error { return db.DisablePublicKey(ctx, k.ID) },
			"delete":  func() error { return db.DeletePublicKey(ctx, k.ID) },
		} {
			t.Run(name+" deleted", func(t *testing.T) { wantError(t, f(), kyc.CodeNoRecord, http.StatusNotFound) })
		}
	})
}

func TestCreatePublicKeyRefuses(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		a, _ := db.CreateAccount(ctx, "acme")
		dup := newPublicKey(t)
		if _, err := db.CreatePublicKey(ctx, a.ID, "first", dup); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, account, keyName string
			key                    ed25519.PublicKey
			code                   string
			status                 int
		}{
			{"no name", a.ID, " ", newPublicKey(t), kyc.CodeInvalid, 400},
			{"name of 101 characters", a.ID, strings.Repeat("é", 101), newPublicKey(t), kyc.CodeInvalid, 400},
			{"short key", a.ID, "k", make([]byte, 31), kyc.CodeInvalid, 400},
			{"same key twice", a.ID, "again", dup, kyc.CodeInvalid, 400},
			{"unknown account", "account_nope", "k", newPublicKey(t), kyc.CodeNoRecord, 404},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := db.CreatePublicKey(ctx, tc.account, tc.keyName, tc.key)
				wantError(t, err, tc.code, tc.status)
			})
		}
		if _, err := db.CreatePublicKey(ctx, a.ID, strings.Repeat("é", 100), newPublicKey(t)); err != nil {
			t.Errorf("a name of 100 characters was refused: %v", err)
		}
	})
}

// TestAtMostFivePublicKeys races ten adds: exactly the first five places are taken.
func TestAtMostFivePublicKeys(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		a, _ := db.CreateAccount(ctx, "acme")
		var wg sync.WaitGroup
		errs := make(chan error, 10)
		for range 10 {
			wg.Go(func() {
				_, err := db.CreatePublicKey(ctx, a.ID, "k", newPublicKey(t))
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			if err == nil {
				ok++
				continue
			}
			wantError(t, err, kyc.CodeConditions, http.StatusBadRequest)
		}
		keys, _ := db.FindPublicKeys(ctx, a.ID)
		if ok != kyc.MaxPublicKeys || len(keys) != kyc.MaxPublicKeys {
			t.Errorf("%d adds succeeded, %d keys stored; want %d", ok, len(keys), kyc.MaxPublicKeys)
		}
	})
}

func TestSigningSwitch(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		a, _ := db.CreateAccount(ctx, "acme")
		wantError(t, db.EnableSigning(ctx, a.ID), kyc.CodeConditions, http.StatusBadRequest)
		k, _ := db.CreatePublicKey(ctx, a.ID, "k", newPublicKey(t))
		_ = db.DisablePublicKey(ctx, k.ID)
		wantError(t, db.EnableSigning(ctx, a.ID), kyc.CodeConditions, http.StatusBadRequest)
		_ = db.EnablePublicKey(ctx, k.ID)
		if err := db.EnableSigning(ctx, a.ID); err != nil {
			t.Fatalf("EnableSigning: %v", err)
		}
		if got, err := db.FindAccountByID(ctx, a.ID); err != nil || !got.SigningEnabled {
			t.Fatalf("FindAccountByID = %+v, %v; want signing enabled", got, err)
		}
		// The last enabled key of a signing account can be neither disabled nor deleted.
		wantError(t, db.DisablePublicKey(ctx, k.ID), kyc.CodeConditions, http.StatusBadRequest)
		wantError(t, db.DeletePublicKey(ctx, k.ID), kyc.CodeConditions, http.StatusBadRequest)
		if got, _ := db.FindPublicKeyByID(ctx, k.ID); !got.Enabled {
			t.Error("a refused disable changed the key")
		}
		if err := db.DisableSigning(ctx, a.ID); err != nil {
			t.Fatalf("DisableSigning: %v", err)
		}
		if got, _ := db.FindAccountByID(ctx, a.ID); got.SigningEnabled {
			t.Error("signing is still on")
		}
		if err := db.DeletePublicKey(ctx, k.ID); err != nil {
			t.Errorf("DeletePublicKey with signing off: %v", err)
		}
		wantError(t, db.DisableSigning(ctx, "account_nope"), kyc.CodeNoRecord, http.StatusNotFound)
	})
}

func TestUseNonce(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		c := newClock(db)
		a, _ := db.CreateAccount(ctx, "a")
		b, _ := db.CreateAccount(ctx, "b")
		const n = "550e8400-e29b-41d4-a716-446655440000"
		if err := useNonce(ctx, db, a.ID, n); err != nil {
			t.Fatalf("UseNonce: %v", err)
		}
		if err := useNonce(ctx, db, a.ID, strings.ToUpper(n)); !errors.Is(err, ErrNonceUsed) {
			t.Errorf("reuse in upper case: %v, want ErrNonceUsed", err)
		}
		if err := useNonce(ctx, db, b.ID, n); err != nil {
			t.Errorf("another account's use of the nonce was refused: %v", err)
		}

		c.t = c.t.Add(599 * time.Second)
		if gone, err := db.PurgeNonces(ctx); err != nil || gone != 0 {
			t.Errorf("purge after 599 s removed %d (%v), want 0", gone, err)
		}
		c.t = c.t.Add(2 * time.Second)
		if gone, err := db.PurgeNonces(ctx); err != nil || gone != 2 {
			t.Errorf("purge after 601 s removed %d (%v), want 2", gone, err)
		}
		if err := useNonce(ctx, db, a.ID, n); err != nil {
			t.Errorf("a purged nonce is still refused: %v", err)
		}
	})
}

func TestUseNonceRace(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		a, _ := db.CreateAccount(ctx, "a")
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() { errs <- useNonce(ctx, db, a.ID, "550e8400-e29b-41d4-a716-446655440000") })
		}
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, ErrNonceUsed):
				t.Errorf("UseNonce: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d uses of one nonce succeeded, want 1", ok)
		}
	})
}

// useNonce records the nonce through a context that carries it, as a signed request does.
func useNonce(ctx context.Context, db *DB, accountID, nonce string) error {
	ctx, _ = WithNonce(ctx, accountID, nonce, db.now().Add(600*time.Second))
	return db.UseNonce(ctx)
}
