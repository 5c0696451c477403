package store

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/keys"
	"github.com/openkyc/kyc/internal/pgtest"
)

// errStop interrupts a long job from its progress callback.
var errStop = errors.New("interrupted")

// stopAfter returns a context cancelled once a job has reported n batches, and its
// progress callback.
func stopAfter(t *testing.T, n int) (context.Context, func(Progress)) {
	ctx, cancel := context.WithCancelCause(t.Context())
	seen := 0
	return ctx, func(Progress) {
		if seen++; seen == n {
			cancel(errStop)
		}
	}
}

func openWith(t testing.TB, dsn string, k KeyOptions) *DB {
	t.Helper()
	db, err := OpenWith(t.Context(), dsn, Options{Keys: k})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestEncryptConvertsClearDatabase: a database written in clear is converted, stopped
// halfway and resumed; the service reads it throughout, and at the end nothing is in clear.
func TestEncryptConvertsClearDatabase(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		clear := openWith(t, dsn, KeyOptions{Plaintext: true})
		a, p := writeSecrets(t, clear)
		for _, id := range []string{"S1000001A", "S1000002A", "S1000003A"} {
			newProfile(t, clear, a.ID, id)
		}
		clear.Close()

		db := newTestDB(t, dsn)
		if !db.HasClear() {
			t.Fatal("HasClear is false on a database in clear")
		}
		ctx, progress := stopAfter(t, 2)
		if err := db.Encrypt(ctx, 1, progress); !errors.Is(context.Cause(ctx), errStop) || err == nil {
			t.Fatalf("interrupted Encrypt = %v", err)
		}
		left, err := db.ClearValues(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if n := left[colAttributes]; n != 3 {
			t.Errorf("after 2 batches of 1 of 5 profiles: %d left in clear, want 3", n)
		}
		if _, err := db.FindProfileByID(t.Context(), a.ID, p.ID); err != nil {
			t.Errorf("halfway: %v", err)
		}
		if err := db.Encrypt(t.Context(), 2, nil); err != nil {
			t.Fatalf("resumed Encrypt: %v", err)
		}
		if db.HasClear() || !db.SealedOnly() {
			t.Errorf("after Encrypt: HasClear %v, SealedOnly %v", db.HasClear(), db.SealedOnly())
		}
		readsBack(t, db, a, p)
		raw := rawBytes(t, dsn)
		for _, s := range secrets {
			if containsBytes(raw, s) {
				t.Errorf("%q is in clear after the conversion", s)
			}
		}
	})
}

// TestRotateKeys: a rotation stopped halfway leaves keys under both KEKs, which a server
// that knows both reads; resumed, it leaves every key under the new KEK, which alone then
// opens everything, and the old one nothing.
func TestRotateKeys(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		db := newTestDB(t, dsn)
		a, p := writeSecrets(t, db)
		for _, id := range []string{"S1000001A", "S1000002A", "S1000003A"} {
			newProfile(t, db, a.ID, id)
		}
		old := pgtest.KEKOf(dsn)
		if path, ok := SQLiteFile(dsn); ok {
			old = keys.KeyFileScheme + ":" + KeyFile(path)
		}
		next, err := keys.NewLocalURL()
		if err != nil {
			t.Fatal(err)
		}
		ctx, progress := stopAfter(t, 2)
		if err := db.RotateKeys(ctx, next, 2, progress); err == nil {
			t.Fatal("interrupted RotateKeys returned nil")
		}
		_, counts, err := db.KeysByKEK(t.Context())
		if err != nil || len(counts) != 2 {
			t.Fatalf("halfway: keys per KEK %v, %v; want two KEKs", counts, err)
		}
		both := openWith(t, dsn, KeyOptions{KEK: next, PreviousKEKs: []string{old}})
		readsBack(t, both, a, p)

		if err := db.RotateKeys(t.Context(), next, 2, nil); err != nil {
			t.Fatalf("resumed RotateKeys: %v", err)
		}
		current, counts, err := openWith(t, dsn, KeyOptions{KEK: next}).KeysByKEK(t.Context())
		if err != nil || len(counts) != 1 || counts[current] == 0 {
			t.Fatalf("after: keys per KEK %v (current %s), %v", counts, current, err)
		}
		readsBack(t, openWith(t, dsn, KeyOptions{KEK: next}), a, p)
		if _, err := OpenWith(t.Context(), dsn, Options{Keys: KeyOptions{KEK: old}}); err == nil {
			t.Error("the old KEK alone still opens the key store")
		}
	})
}

// containsBytes looks for s in b as it is, and as pg_dump writes a bytea column (hex).
func containsBytes(b []byte, s string) bool {
	return bytes.Contains(b, []byte(s)) || bytes.Contains(b, []byte(hex.EncodeToString([]byte(s))))
}

// TestClearValueRefused: a new database is sealed only; a value put there in clear by SQL
// (as someone with the database alone could, to plant data) is refused, not read. Opened to
// write in clear, the mark is gone, and clear values are read again.
func TestClearValueRefused(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		db := newTestDB(t, dsn)
		if !db.SealedOnly() {
			t.Fatal("a new database with a key is not sealed only")
		}
		a := newAccount(t, db, "acme")
		p := newProfile(t, db, a.ID, "S1234567D")
		planted := `{"firstName":"Planted"}`
		for _, stmt := range []string{
			`UPDATE profiles SET attributes = '` + planted + `' WHERE id = '` + p.ID + `'`,
		} {
			if _, err := db.sql.ExecContext(t.Context(), stmt); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.FindProfileByID(t.Context(), a.ID, p.ID); !errors.Is(err, ErrClearValue) {
			t.Errorf("a planted clear value: got %v, want ErrClearValue", err)
		}
		if _, err := db.HoldProfile(t.Context(), p.ID, "x"); !errors.Is(err, ErrClearValue) {
			t.Errorf("HoldProfile over a planted clear value: got %v, want ErrClearValue", err)
		}
		// An erasure's reason put back in clear (the conversion seals those recorded before
		// reasons were sealed: none is left once the database is sealed only).
		gone := newProfile(t, db, a.ID, "S7654321D")
		req := kyc.ErasureRequest{Erasure: kyc.Erasure{Forced: true, Reason: "sealed now", By: "op"}}
		if _, err := db.EraseProfile(t.Context(), "", gone.ID, req); err != nil {
			t.Fatal(err)
		}
		if _, err := db.sql.ExecContext(t.Context(), `UPDATE profiles SET erasure = '{"forced":true,"reason":"old","by":"op"}' WHERE id = $1`, gone.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindProfileAnyAccount(t.Context(), gone.ID); !errors.Is(err, ErrClearValue) {
			t.Errorf("a planted clear erasure reason: got %v, want ErrClearValue", err)
		}
		// A reviewer's name and email put in clear.
		addReviewer(t, db, "ada@example.com", "h1")
		for _, col := range []string{"name", "email"} {
			var sealed string
			if err := db.sql.QueryRowContext(t.Context(), `SELECT `+col+` FROM reviewers`).Scan(&sealed); err != nil {
				t.Fatal(err)
			}
			if _, err := db.sql.ExecContext(t.Context(), `UPDATE reviewers SET `+col+` = 'planted@example.com'`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.FindReviewers(t.Context()); !errors.Is(err, ErrClearValue) {
				t.Errorf("a planted clear reviewer %s: got %v, want ErrClearValue", col, err)
			}
			if _, err := db.sql.ExecContext(t.Context(), `UPDATE reviewers SET `+col+` = $1`, sealed); err != nil {
				t.Fatal(err)
			}
		}
		if openWith(t, dsn, KeyOptions{KEK: pgtest.KEKOf(dsn)}).SealedOnly() != true {
			t.Error("reopened: no longer sealed only")
		}
		clear := openWith(t, dsn, KeyOptions{Plaintext: true})
		clear.Close()
		if openWith(t, dsn, KeyOptions{KEK: pgtest.KEKOf(dsn)}).SealedOnly() {
			t.Error("sealed only after the database was opened to write in clear")
		}
	})
}
