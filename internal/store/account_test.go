package store

import (
	"errors"
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

// TestAccountRateLimit: an account's own rate and burst are kept, read back by every
// lookup (the API key's included), and cleared; an unknown account is not found.
func TestAccountRateLimit(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		acct, secret, _, err := db.CreateAccountWithKey(ctx, "acme", "k", kyc.ModelCPPlus)
		if err != nil {
			t.Fatal(err)
		}
		if acct.RateLimit != nil || acct.Burst != 0 {
			t.Errorf("a new account: %v, %d; want the defaults", acct.RateLimit, acct.Burst)
		}
		rate := &kyc.Rate{Count: 300, Per: time.Minute}
		got, err := db.UpdateAccountRateLimit(ctx, acct.ID, rate, 20)
		if err != nil || got.RateLimit == nil || *got.RateLimit != *rate || got.Burst != 20 {
			t.Fatalf("UpdateAccountRateLimit: %+v (%v)", got, err)
		}
		byKey, err := db.FindAccountByAPIKey(ctx, secret)
		if err != nil || byKey.RateLimit == nil || *byKey.RateLimit != *rate || byKey.Burst != 20 {
			t.Errorf("FindAccountByAPIKey: %+v (%v)", byKey, err)
		}
		if got, err = db.UpdateAccountRateLimit(ctx, acct.ID, nil, 0); err != nil || got.RateLimit != nil || got.Burst != 0 {
			t.Errorf("cleared: %+v (%v)", got, err)
		}
		if _, err := db.UpdateAccountRateLimit(ctx, "account_nope", rate, 1); !errors.Is(err, kyc.ErrAccountNotFound) {
			t.Errorf("unknown account: %v, want ErrAccountNotFound", err)
		}
	})
}
