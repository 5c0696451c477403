package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/openkyc/kyc"
)

// CreateAccount creates an account of the CP+ integration model. Names are unique: a taken
// name is refused with a 400.
func (db *DB) CreateAccount(ctx context.Context, name string) (*kyc.Account, error) {
	return db.CreateAccountWithModel(ctx, name, kyc.ModelCPPlus)
}

// CreateAccountWithModel creates an account of integration model m.
func (db *DB) CreateAccountWithModel(ctx context.Context, name string, m kyc.Model) (*kyc.Account, error) {
	return db.insertAccount(ctx, db.sql, name, m)
}

// UpdateAccountModel switches an account's integration model. Profiles already created
// keep their kind; new ones follow the new model.
func (db *DB) UpdateAccountModel(ctx context.Context, id string, m kyc.Model) (*kyc.Account, error) {
	return db.updateAccount(ctx, id, `model = $1`, string(m))
}

// UpdateAccountRateLimit sets an account's own rate limit and burst; a nil rate and a
// zero burst return each to the server's default.
func (db *DB) UpdateAccountRateLimit(ctx context.Context, id string, rate *kyc.Rate, burst int) (*kyc.Account, error) {
	var count, period, b sql.NullInt64
	if rate != nil {
		count = sql.NullInt64{Int64: int64(rate.Count), Valid: true}
		period = sql.NullInt64{Int64: int64(rate.Per / time.Second), Valid: true}
	}
	if burst > 0 {
		b = sql.NullInt64{Int64: int64(burst), Valid: true}
	}
	return db.updateAccount(ctx, id, `rate_limit_count = $1, rate_limit_period = $2, rate_limit_burst = $3`, count, period, b)
}

// updateAccount sets the columns of set (placeholders $1…$n for args) on account id, and
// returns the account as it now is.
func (db *DB) updateAccount(ctx context.Context, id, set string, args ...any) (*kyc.Account, error) {
	defer db.auth.invalidate()
	res, err := db.sql.ExecContext(ctx,
		fmt.Sprintf(`UPDATE accounts SET %s WHERE id = $%d`, set, len(args)+1), append(args, id)...)
	if err != nil {
		return nil, fmt.Errorf("store: update account: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		if err != nil {
			return nil, fmt.Errorf("store: update account: %w", err)
		}
		return nil, kyc.ErrAccountNotFound.New()
	}
	return db.FindAccountByID(ctx, id)
}

// CreateAccountWithKey creates an account of integration model m and its first API key in
// one transaction, so that a crash between the two cannot leave an account that nobody
// can use. It returns the key's secret, which is not kept.
func (db *DB) CreateAccountWithKey(ctx context.Context, name, keyName string, m kyc.Model) (*kyc.Account, string, *kyc.APIKey, error) {
	var acct *kyc.Account
	var secret string
	var key *kyc.APIKey
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		if acct, err = db.insertAccount(ctx, tx, name, m); err != nil {
			return err
		}
		secret, key, err = db.insertAPIKey(ctx, tx, acct.ID, keyName, nil)
		return err
	})
	if err != nil {
		return nil, "", nil, err
	}
	return acct, secret, key, nil
}

// execer is what *sql.DB and *sql.Tx share, so that an insert can run alone or as part of
// a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (db *DB) insertAccount(ctx context.Context, ex execer, name string, m kyc.Model) (*kyc.Account, error) {
	if strings.TrimSpace(name) == "" {
		return nil, kyc.BadInput("account name is missing")
	}
	id, err := newID("account_")
	if err != nil {
		return nil, fmt.Errorf("store: create account: %w", err)
	}
	a := &kyc.Account{ID: id, Name: name, Model: m, CreatedAt: db.now()}
	_, err = ex.ExecContext(ctx,
		`INSERT INTO accounts (id, name, model, created_at) VALUES ($1, $2, $3, $4)`,
		a.ID, a.Name, string(a.Model), micros(a.CreatedAt))
	if db.dialect.isUnique(err) {
		return nil, kyc.BadInput("account name already exists")
	}
	if err != nil {
		return nil, fmt.Errorf("store: create account: %w", err)
	}
	return a, nil
}

// FindAccountByID returns the account with the given id.
func (db *DB) FindAccountByID(ctx context.Context, id string) (*kyc.Account, error) {
	row := db.sql.QueryRowContext(ctx,
		`SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id)
	a, err := scanAccount(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kyc.ErrAccountNotFound.New()
	}
	if err != nil {
		return nil, fmt.Errorf("store: find account: %w", err)
	}
	return a, nil
}

// FindAccounts returns every account, oldest first.
func (db *DB) FindAccounts(ctx context.Context) ([]kyc.Account, error) {
	rows, err := db.sql.QueryContext(ctx,
		`SELECT `+accountColumns+` FROM accounts ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: find accounts: %w", err)
	}
	defer rows.Close()
	var accounts []kyc.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("store: find accounts: %w", err)
		}
		accounts = append(accounts, *a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find accounts: %w", err)
	}
	return accounts, nil
}

// CountAccounts returns the number of accounts.
func (db *DB) CountAccounts(ctx context.Context) (int, error) {
	var n int
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM accounts`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count accounts: %w", err)
	}
	return n, nil
}

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface {
	Scan(dest ...any) error
}

// accountColumns are what scanAccount reads, in its order.
var accountColumns = accountColumnsOf("accounts")

// accountColumnsOf are accountColumns of table t, which a join may have renamed.
func accountColumnsOf(t string) string {
	return strings.NewReplacer("$", t).Replace(`$.id, $.name, $.model, $.created_at, $.signing_enabled_at IS NOT NULL,
		$.rate_limit_count, $.rate_limit_period, $.rate_limit_burst`)
}

func scanAccount(s scanner, more ...any) (*kyc.Account, error) {
	var a kyc.Account
	var created int64
	var count, period, burst sql.NullInt64
	dest := append([]any{&a.ID, &a.Name, &a.Model, &created, &a.SigningEnabled, &count, &period, &burst}, more...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	a.CreatedAt = fromMicros(created)
	if count.Valid && period.Valid {
		a.RateLimit = &kyc.Rate{Count: int(count.Int64), Per: time.Duration(period.Int64) * time.Second}
	}
	a.Burst = int(burst.Int64)
	return &a, nil
}

// newID returns prefix followed by a UUIDv7, whose leading timestamp keeps ids roughly in
// creation order and so keeps inserts at the end of the primary-key index.
func newID(prefix string) (string, error) {
	u, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	return prefix + u.String(), nil
}
