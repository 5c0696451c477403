package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/keys"
)

// Progress is how far a long job over the database has come.
type Progress struct {
	Step        string // what is being done: a column, or "data keys"
	Done, Total int
}

// clearColumn is a sealed column, the column of its rows' profile, and the expression of
// the row as bound into its values ("id" when empty).
type clearColumn struct{ table, column, profile, row string }

// sealedColumns are every sealed column; the first one also carries the keyed hashes.
var sealedColumns = []clearColumn{
	{"profiles", "attributes", "id", ""},
	{"profiles", "rejection", "id", ""},
	{"webhook_events", "body", "profile_id", ""},
	{"rfi_requests", "questions", "profile_id", ""},
	{"limit_requests", "source_of_wealth", "profile_id", ""},
	{"profiles", "hold_reason", "id", ""},
	// resolutionRow, in SQL.
	{"screening_resolutions", "reason", "profile_id", `profile_id || '/' || fingerprint`},
}

// rowExpr is the SQL of the row's id as bound into its sealed values.
func (c clearColumn) rowExpr() string {
	if c.row == "" {
		return "id"
	}
	return "(" + c.row + ")"
}

// name is the column as bound into its sealed values (colAttributes, …).
func (c clearColumn) name() string { return c.table + "." + c.column }

// clearRow is one value still in clear.
type clearRow struct{ id, profile, value string }

// Encrypt seals every value still in clear (a database from before encryption, or
// profiles made by SeedProfiles) and replaces clear registration keys by their keyed
// hashes, batch rows at a time, each batch in a transaction of its own. It runs while the
// service runs: the service reads clear and sealed values alike meanwhile, and each UPDATE
// is guarded by the value it replaces, so a value the service changed in between is left
// to the service (which sealed it). Stopped at any point, it resumes where it was when run
// again: what it has left is exactly what is still clear.
//
// The audit record ctx carries (kyc.AuditKeysEncrypt, appended by the caller with FinishAudit
// once this returns, whatever the outcome) gets the count of values sealed per column.
func (db *DB) Encrypt(ctx context.Context, batch int, progress func(Progress)) error {
	if db.vault == nil {
		return ErrNoKEK
	}
	a, ctx := detachAudit(ctx)
	report := func(p Progress, n int) {
		a.Count(p.Step, int64(n))
		if progress != nil {
			progress(p)
		}
	}
	sealed := 0
	for _, c := range sealedColumns {
		n, err := db.encryptColumn(ctx, c, batch, report)
		if err != nil {
			return fmt.Errorf("store: encrypt %s: %w", c.name(), err)
		}
		sealed += n
	}
	n, err := db.encryptResponses(ctx, batch, report)
	if err != nil {
		return fmt.Errorf("store: encrypt %s: %w", colResponseBody, err)
	}
	sealed += n
	if n, err = db.encryptScreenings(ctx, batch, report); err != nil {
		return fmt.Errorf("store: encrypt %s: %w", colScreeningDetails, err)
	}
	sealed += n
	if n, err = db.encryptTOTPSecrets(ctx, report); err != nil {
		return fmt.Errorf("store: encrypt %s: %w", colTOTPSecret, err)
	}
	sealed += n
	if n, err = db.encryptReviewers(ctx, report); err != nil {
		return fmt.Errorf("store: encrypt reviewers: %w", err)
	}
	sealed += n
	if n, err = db.encryptErasureReasons(ctx, batch, report); err != nil {
		return fmt.Errorf("store: encrypt %s: %w", colErasureReason, err)
	}
	sealed += n
	if sealed > 0 && db.dialect.compact != nil {
		if err := db.dialect.compact(ctx, db.sql); err != nil {
			return fmt.Errorf("store: encrypt: %w", err)
		}
	}
	db.clear.Store(false)
	return db.markSealedOnly(ctx)
}

// encryptColumn seals the column's clear values and returns how many it found.
func (db *DB) encryptColumn(ctx context.Context, c clearColumn, batch int, progress func(Progress, int)) (int, error) {
	var total int
	err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM `+c.table+` WHERE `+c.clearWhere()).Scan(&total)
	if err != nil {
		return 0, err
	}
	p := Progress{Step: c.name(), Total: total}
	for last := ""; ; {
		rows, err := queryAll(ctx, db.sql, scanClearRow, `SELECT `+c.rowExpr()+`, `+c.profile+`, `+c.column+` FROM `+c.table+
			` WHERE `+c.clearWhere()+` AND `+c.rowExpr()+` > $1 ORDER BY `+c.rowExpr()+` LIMIT $2`, last, batch)
		if err != nil || len(rows) == 0 {
			return p.Done, err
		}
		if err := db.sealRows(ctx, c, rows); err != nil {
			return p.Done, err
		}
		last, p.Done = rows[len(rows)-1].id, p.Done+len(rows)
		progress(p, len(rows))
	}
}

// clearWhere selects the column's clear values, but for the empty values erasure leaves
// (see checkClear), which hold nothing: sealing them would fail on a tombstone's attributes
// and make a data key again for a profile whose key erasure destroyed. The table and column
// names are ours.
func (c clearColumn) clearWhere() string {
	return c.column + ` IS NOT NULL AND ` + c.column + ` NOT LIKE '` + keys.SealedPrefix + `%' AND ` +
		c.column + ` NOT IN ('', 'null', '[]')`
}

func scanClearRow(s scanner) (clearRow, error) {
	var r clearRow
	return r, s.Scan(&r.id, &r.profile, &r.value)
}

// sealRows seals one batch in one transaction, making the data keys its profiles lack.
func (db *DB) sealRows(ctx context.Context, c clearColumn, rows []clearRow) error {
	ks, err := db.vault.keysOf(ctx, rows)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			if err := db.sealRow(ctx, tx, c, r, ks[r.profile]); err != nil {
				return err
			}
		}
		return nil
	})
}

func (db *DB) sealRow(ctx context.Context, tx *sql.Tx, c clearColumn, r clearRow, k *keys.DataKey) error {
	sealed := k.Seal(r.id, c.name(), []byte(r.value))
	if c.name() != colAttributes {
		_, err := tx.ExecContext(ctx, `UPDATE `+c.table+` SET `+c.column+` = $1 WHERE `+c.rowExpr()+` = $2 AND `+c.column+` = $3`,
			sealed, r.id, r.value)
		return err
	}
	data, err := kyc.DecodeData([]byte(r.value))
	if err != nil {
		return fmt.Errorf("attributes of %s are not a profile document", r.id)
	}
	p := &kyc.Profile{Data: data}
	_, err = tx.ExecContext(ctx,
		`UPDATE profiles SET attributes = $1, registration_key = $2, email_key = $3 WHERE id = $4 AND attributes = $5`,
		sealed, db.lookup(hashRegistration, kyc.RegistrationKey(p.Text("registrationId"))),
		nullString(db.lookup(hashEmail, emailKey(p.Text("email")))), r.id, r.value)
	return err
}

// keysOf returns the data keys of the rows' profiles, made for those that have none.
func (v *vault) keysOf(ctx context.Context, rows []clearRow) (map[string]*keys.DataKey, error) {
	out := map[string]*keys.DataKey{}
	var missing []string
	for _, r := range rows {
		if _, done := out[r.profile]; done || contains(missing, r.profile) {
			continue
		}
		k, err := v.key(ctx, r.profile)
		switch {
		case errors.Is(err, ErrKeyDestroyed):
			missing = append(missing, r.profile)
		case err != nil:
			return nil, err
		default:
			out[r.profile] = k
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	made, err := v.create(ctx, missing)
	for o, k := range made {
		out[o] = k
	}
	return out, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ClearValues counts the values still in clear, per sealed column.
func (db *DB) ClearValues(ctx context.Context) (map[string]int, error) {
	counts := map[string]string{
		colTOTPSecret:    `SELECT count(*) FROM reviewers WHERE ` + clearTOTP,
		colReviewerName:  `SELECT count(*) FROM reviewers WHERE ` + clearColumn{column: "name"}.clearWhere(),
		colReviewerEmail: `SELECT count(*) FROM reviewers WHERE ` + clearColumn{column: "email"}.clearWhere(),
		colErasureReason: `SELECT count(*) FROM profiles WHERE ` + clearErasureReason,
	}
	for _, c := range sealedColumns {
		counts[c.name()] = `SELECT count(*) FROM ` + c.table + ` WHERE ` + c.clearWhere()
	}
	out := map[string]int{}
	for col, q := range counts {
		var n int
		if err := db.sql.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out[col] = n
	}
	return out, nil
}

// encryptResponses seals the kept answers of idempotency keys still in clear. Their column
// is binary, which the two databases cannot match a prefix in alike, so the prefix is
// checked here, over every kept answer (they last a day: few).
func (db *DB) encryptResponses(ctx context.Context, batch int, progress func(Progress, int)) (int, error) {
	type answer struct {
		account, key, profile string
		body                  []byte
	}
	p := Progress{Step: colResponseBody}
	for lastAccount, lastKey := "", ""; ; {
		rows, err := queryAll(ctx, db.sql, func(s scanner) (answer, error) {
			var a answer
			return a, s.Scan(&a.account, &a.key, &a.profile, &a.body)
		}, `SELECT account_id, key, COALESCE(profile_id, ''), response_body FROM idempotency_keys
			WHERE response_body IS NOT NULL AND (account_id, key) > ($1, $2) ORDER BY account_id, key LIMIT $3`,
			lastAccount, lastKey, batch)
		if err != nil || len(rows) == 0 {
			return p.Done, err
		}
		lastAccount, lastKey = rows[len(rows)-1].account, rows[len(rows)-1].key
		before := p.Done
		err = db.write(ctx, func(tx *sql.Tx) error {
			for _, a := range rows {
				if keys.IsSealed(string(a.body)) {
					continue
				}
				sealed, err := db.sealResponseOf(ctx, a.account, a.profile, a.account+"/"+a.key, a.body)
				if err != nil {
					return err
				}
				_, err = tx.ExecContext(ctx, `UPDATE idempotency_keys SET response_body = $1
					WHERE account_id = $2 AND key = $3 AND response_body = $4`, sealed, a.account, a.key, a.body)
				if err != nil {
					return err
				}
				p.Done++
			}
			return nil
		})
		if err != nil {
			return p.Done, err
		}
		progress(p, p.Done-before)
	}
}

// sealResponseOf seals a kept answer under its profile's data key, or its account's when it
// names no profile (see keepResponse).
func (db *DB) sealResponseOf(ctx context.Context, accountID, profileID, row string, body []byte) ([]byte, error) {
	if profileID == "" {
		return db.sealAccountValue(ctx, accountID, row, colResponseBody, body)
	}
	ks, err := db.vault.keysOf(ctx, []clearRow{{profile: profileID}})
	if err != nil {
		return nil, err
	}
	return []byte(ks[profileID].Seal(row, colResponseBody, body)), nil
}

// encryptScreenings seals the screening details still in clear. Like the kept answers, the
// column is binary: the prefix is checked here, over every screening, a batch at a time.
func (db *DB) encryptScreenings(ctx context.Context, batch int, progress func(Progress, int)) (int, error) {
	type details struct {
		profile string
		body    []byte
	}
	p := Progress{Step: colScreeningDetails}
	for last := ""; ; {
		rows, err := queryAll(ctx, db.sql, func(s scanner) (details, error) {
			var d details
			return d, s.Scan(&d.profile, &d.body)
		}, `SELECT profile_id, details FROM screenings WHERE profile_id > $1 ORDER BY profile_id LIMIT $2`, last, batch)
		if err != nil || len(rows) == 0 {
			return p.Done, err
		}
		last = rows[len(rows)-1].profile
		var clear []clearRow
		for _, d := range rows {
			if !keys.IsSealed(string(d.body)) {
				clear = append(clear, clearRow{id: d.profile, profile: d.profile, value: string(d.body)})
			}
		}
		if len(clear) == 0 {
			continue
		}
		ks, err := db.vault.keysOf(ctx, clear)
		if err != nil {
			return p.Done, err
		}
		err = db.write(ctx, func(tx *sql.Tx) error {
			for _, r := range clear {
				sealed := ks[r.profile].Seal(r.id, colScreeningDetails, []byte(r.value))
				if _, err := tx.ExecContext(ctx, `UPDATE screenings SET details = $1 WHERE profile_id = $2 AND details = $3`,
					[]byte(sealed), r.id, []byte(r.value)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return p.Done, err
		}
		p.Done += len(clear)
		progress(p, len(clear))
	}
}

// clearTOTP selects the reviewers whose TOTP secret is in clear (not empty: none).
var clearTOTP = clearColumn{column: "totp_secret"}.clearWhere()

// encryptTOTPSecrets seals the reviewers' TOTP secrets still in clear under the service's
// data key, in one transaction (reviewers are few).
func (db *DB) encryptTOTPSecrets(ctx context.Context, progress func(Progress, int)) (int, error) {
	rows, err := queryAll(ctx, db.sql, func(s scanner) (clearRow, error) {
		var r clearRow
		return r, s.Scan(&r.id, &r.value)
	}, `SELECT id, totp_secret FROM reviewers WHERE `+clearTOTP)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	err = db.write(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			sealed, err := db.sealService(r.id, colTOTPSecret, r.value)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE reviewers SET totp_secret = $1 WHERE id = $2 AND totp_secret = $3`,
				sealed, r.id, r.value); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	progress(Progress{Step: colTOTPSecret, Done: len(rows), Total: len(rows)}, len(rows))
	return len(rows), nil
}
