package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/keys"
)

// The conversion of the values sealed under the service's data key (see serviceOwner) that
// were written in clear before: reviewers' names and emails, and erasures' reasons.

// clearReviewer selects the reviewers from before their names and emails were sealed: a
// clear name or email, or an email key that is not a keyed hash.
var clearReviewer = `(` + clearColumn{column: "name"}.clearWhere() + `) OR (` + clearColumn{column: "email"}.clearWhere() +
	`) OR email_key NOT LIKE '` + keys.HashPrefix + `%'`

// encryptReviewers seals the reviewers' names and emails still in clear and replaces their
// email keys by keyed hashes, in one transaction (reviewers are few). Each UPDATE is guarded
// by the values it replaces.
func (db *DB) encryptReviewers(ctx context.Context, progress func(Progress, int)) (int, error) {
	type stored struct{ id, name, email string }
	rows, err := queryAll(ctx, db.sql, func(s scanner) (stored, error) {
		var r stored
		return r, s.Scan(&r.id, &r.name, &r.email)
	}, `SELECT id, name, email FROM reviewers WHERE `+clearReviewer)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	err = db.write(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			rv := kyc.Reviewer{ID: r.id}
			if rv.Name, err = db.openForConversion(r.id, colReviewerName, r.name); err != nil {
				return err
			}
			if rv.Email, err = db.openForConversion(r.id, colReviewerEmail, r.email); err != nil {
				return err
			}
			name, email, err := db.sealReviewer(&rv)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE reviewers SET name = $1, email = $2, email_key = $3
				WHERE id = $4 AND name = $5 AND email = $6`,
				name, email, db.lookup(hashReviewerEmail, NormalizeEmail(rv.Email)), r.id, r.name, r.email); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	progress(Progress{Step: "reviewers", Done: len(rows), Total: len(rows)}, len(rows))
	return len(rows), nil
}

// openForConversion returns the clear value of a value the conversion rewrites: as it is
// when in clear, opened when already sealed.
func (db *DB) openForConversion(row, column, stored string) (string, error) {
	if !keys.IsSealed(stored) {
		return stored, nil
	}
	plain, err := db.vault.service.Open(row, column, stored)
	return string(plain), err
}

// clearErasureReason selects the erasures whose reason may be in clear. An erasure's record
// is written by encoding/json, without spaces; the reason itself is checked once decoded.
var clearErasureReason = `erasure LIKE '%"reason":"%' AND erasure NOT LIKE '%"reason":"` + keys.SealedPrefix + `%'`

// encryptErasureReasons seals the reasons of the erasures recorded before reasons were
// sealed, batch rows at a time, each batch in a transaction of its own. Each UPDATE is
// guarded by the record it replaces.
func (db *DB) encryptErasureReasons(ctx context.Context, batch int, progress func(Progress, int)) (int, error) {
	p := Progress{Step: colErasureReason}
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM profiles WHERE `+clearErasureReason).Scan(&p.Total); err != nil {
		return 0, err
	}
	for last := ""; ; {
		rows, err := queryAll(ctx, db.sql, func(s scanner) (clearRow, error) {
			var r clearRow
			return r, s.Scan(&r.id, &r.value)
		}, `SELECT id, erasure FROM profiles WHERE `+clearErasureReason+` AND id > $1 ORDER BY id LIMIT $2`, last, batch)
		if err != nil || len(rows) == 0 {
			return p.Done, err
		}
		last = rows[len(rows)-1].id
		n := 0
		err = db.write(ctx, func(tx *sql.Tx) (err error) {
			n, err = db.sealErasureReasons(ctx, tx, rows)
			return err
		})
		if err != nil {
			return p.Done, err
		}
		p.Done += n
		progress(p, n)
	}
}

// sealErasureReasons seals the clear reasons of the erasure records and returns how many it
// sealed.
func (db *DB) sealErasureReasons(ctx context.Context, tx *sql.Tx, rows []clearRow) (int, error) {
	n := 0
	for _, r := range rows {
		var e kyc.Erasure
		if err := json.Unmarshal([]byte(r.value), &e); err != nil {
			return n, fmt.Errorf("erasure of %s is not an erasure document", r.id)
		}
		if e.Reason == "" || keys.IsSealed(e.Reason) {
			continue
		}
		var err error
		if e.Reason, err = db.sealService(r.id, colErasureReason, e.Reason); err != nil {
			return n, err
		}
		sealed, _ := json.Marshal(e) // a bool and strings: cannot fail
		if _, err := tx.ExecContext(ctx, `UPDATE profiles SET erasure = $1 WHERE id = $2 AND erasure = $3`,
			string(sealed), r.id, r.value); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
