package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/openkyc/kyc/internal/store"
)

// withAccount is withStore for the commands with --account, which takes an account's id or
// its name (`--account default`, the sandbox's account): *ref is replaced by the id before
// fn runs.
func (c *cli) withAccount(ctx context.Context, ref *string, fn func(*store.DB) error) error {
	return c.withStore(ctx, func(db *store.DB) error {
		id, err := accountID(ctx, db, *ref)
		if err != nil {
			return err
		}
		*ref = id
		return fn(db)
	})
}

// accountID resolves an account's id or name to its id. Names are unique, and no name can
// be mistaken for an id, since every id starts with "account_" and is looked up as one.
func accountID(ctx context.Context, db *store.DB, ref string) (string, error) {
	if strings.HasPrefix(ref, "account_") {
		a, err := db.FindAccountByID(ctx, ref)
		if err != nil {
			return "", err
		}
		return a.ID, nil
	}
	accounts, err := db.FindAccounts(ctx)
	if err != nil {
		return "", err
	}
	for _, a := range accounts {
		if a.Name == ref {
			return a.ID, nil
		}
	}
	return "", fmt.Errorf("no account is named %q (kyc account list shows them)", ref)
}
