package store

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
)

func TestAccounts(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		c := newClock(db)

		var want []kyc.Account
		for _, name := range []string{"acme", "globex", "initech"} {
			a, err := db.CreateAccount(ctx, name)
			if err != nil {
				t.Fatalf("CreateAccount(%q): %v", name, err)
			}
			if a.Name != name || a.CreatedAt != c.t || len(a.ID) != len("account_")+36 || a.ID[:8] != "account_" {
				t.Errorf("CreateAccount(%q) = %+v", name, a)
			}
			want = append(want, *a)
			c.t = c.t.Add(time.Second)
		}

		got, err := db.FindAccountByID(ctx, want[1].ID)
		if err != nil {
			t.Fatalf("FindAccountByID: %v", err)
		}
		if diff := cmp.Diff(&want[1], got); diff != "" {
			t.Errorf("FindAccountByID (-want +got):\n%s", diff)
		}

		all, err := db.FindAccounts(ctx)
		if err != nil {
			t.Fatalf("FindAccounts: %v", err)
		}
		if diff := cmp.Diff(want, all); diff != "" {
			t.Errorf("FindAccounts (-want +got):\n%s", diff)
		}

		n, err := db.CountAccounts(ctx)
		if err != nil || n != len(want) {
			t.Errorf("CountAccounts: got %d, %v; want %d", n, err, len(want))
		}
	})
}

func TestAccountErrors(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		if _, err := db.CreateAccount(ctx, "acme"); err != nil {
			t.Fatal(err)
		}

		_, err := db.CreateAccount(ctx, "acme")
		e := wantError(t, err, kyc.CodeInvalid, http.StatusBadRequest)
		if e.Message != "account name already exists" {
			t.Errorf("got message %q", e.Message)
		}

		_, err = db.CreateAccount(ctx, " ")
		wantError(t, err, kyc.CodeInvalid, http.StatusBadRequest)

		_, err = db.FindAccountByID(ctx, "account_unknown")
		wantError(t, err, kyc.CodeNoRecord, http.StatusNotFound)

		if n, err := db.CountAccounts(ctx); err != nil || n != 1 {
			t.Errorf("CountAccounts: got %d, %v; want 1", n, err)
		}
	})
}

func TestCreateAccountWithKey(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		acct, secret, key, err := db.CreateAccountWithKey(ctx, "acme", "first", kyc.ModelCP)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.FindAccountByAPIKey(ctx, secret)
		if err != nil || got.ID != acct.ID || key.AccountID != acct.ID {
			t.Fatalf("the new key finds %v (%v), want account %s", got, err, acct.ID)
		}
		// A refused account leaves nothing behind: no key for an account that does not exist.
		if _, _, _, err := db.CreateAccountWithKey(ctx, "acme", "second", kyc.ModelCPPlus); kyc.AsError(err) == nil {
			t.Fatalf("a second account named acme: err = %v, want a *kyc.Error", err)
		}
		var keys int
		if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM api_keys`).Scan(&keys); err != nil || keys != 1 {
			t.Errorf("%d API keys after the refused create (%v), want 1", keys, err)
		}
	})
}
