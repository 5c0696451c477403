package store

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
)

func TestAccounts(t *testing.T) {
	ctx := t.Context()
	db := newTestDB(t)
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
}

func TestAccountErrors(t *testing.T) {
	ctx := t.Context()
	db := newTestDB(t)
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
}
