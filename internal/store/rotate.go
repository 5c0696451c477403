package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/openkyc/kyc/internal/keys"
)

// RotateKeys re-wraps every data key of the key store (the lookup key included) under the
// KEK named by newKEK, batch keys at a time, each batch in a transaction of its own. The
// data keys themselves do not change, so no sealed value is touched. It runs while the
// service runs, which must know both KEKs meanwhile (serve --kek NEW --kek-previous OLD);
// stopped at any point, it resumes when run again: what is left is the keys whose KEK is
// not the new one. The database must be opened with the KEKs that wrapped the keys.
//
// The audit record ctx carries (kyc.AuditKeysRotate, appended by the caller with FinishAudit
// once this returns, whatever the outcome) gets the new KEK's id as target ("kek:" and the
// id, which reveals no key) and the count of keys re-wrapped ("rewrapped").
func (db *DB) RotateKeys(ctx context.Context, newKEK string, batch int, progress func(Progress)) error {
	if db.vault == nil {
		return ErrNoKEK
	}
	a, ctx := detachAudit(ctx)
	to, err := keys.OpenKEK(ctx, newKEK, true)
	if err != nil {
		return err
	}
	defer to.Close()
	if a != nil {
		a.Target("kek:" + to.ID)
	}
	err = db.vault.rotate(ctx, keys.NewRing(to), batch, func(p Progress, n int) {
		a.Count("rewrapped", int64(n))
		if progress != nil {
			progress(p)
		}
	})
	return storeError("rotate keys", err)
}

type wrappedKey struct {
	owner, kek string
	wrapped    []byte
}

func (v *vault) rotate(ctx context.Context, to *keys.Ring, batch int, progress func(Progress, int)) error {
	p := Progress{Step: "data keys"}
	err := v.keys.sql.QueryRowContext(ctx, `SELECT count(*) FROM data_keys WHERE kek <> $1`, to.Current.ID).Scan(&p.Total)
	if err != nil {
		return err
	}
	for last := ""; ; {
		rows, err := queryAll(ctx, v.keys.sql, func(s scanner) (wrappedKey, error) {
			var k wrappedKey
			return k, s.Scan(&k.owner, &k.kek, &k.wrapped)
		}, `SELECT owner, kek, wrapped FROM data_keys WHERE kek <> $1 AND owner > $2 ORDER BY owner LIMIT $3`,
			to.Current.ID, last, batch)
		if err != nil || len(rows) == 0 {
			return err
		}
		if err := v.rewrap(ctx, to, rows); err != nil {
			return err
		}
		last, p.Done = rows[len(rows)-1].owner, p.Done+len(rows)
		progress(p, len(rows))
	}
}

// rewrap re-wraps one batch under to in one transaction of the key store. Each UPDATE is
// guarded by the KEK it read: a key erased or rotated meanwhile is left as it is.
func (v *vault) rewrap(ctx context.Context, to *keys.Ring, rows []wrappedKey) error {
	next := make([]wrappedKey, len(rows))
	for i, r := range rows {
		raw, err := v.ring.Unwrap(ctx, r.kek, r.wrapped)
		if err != nil {
			return fmt.Errorf("data key of %s: %w", r.owner, err)
		}
		kek, wrapped, err := to.Wrap(ctx, raw)
		if err != nil {
			return err
		}
		next[i] = wrappedKey{owner: r.owner, kek: kek, wrapped: wrapped}
	}
	return v.keys.write(ctx, func(tx *sql.Tx) error {
		for i, n := range next {
			_, err := tx.ExecContext(ctx, `UPDATE data_keys SET kek = $1, wrapped = $2 WHERE owner = $3 AND kek = $4`,
				n.kek, n.wrapped, n.owner, rows[i].kek)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// KeysByKEK counts the data keys of the key store per KEK id, and names the id of the
// KEK the database was opened with.
func (db *DB) KeysByKEK(ctx context.Context) (current string, counts map[string]int, err error) {
	if db.vault == nil {
		return "", nil, ErrNoKEK
	}
	type count struct {
		kek string
		n   int
	}
	rows, err := queryAll(ctx, db.vault.keys.sql, func(s scanner) (count, error) {
		var c count
		return c, s.Scan(&c.kek, &c.n)
	}, `SELECT kek, count(*) FROM data_keys GROUP BY kek ORDER BY kek`)
	if err != nil {
		return "", nil, fmt.Errorf("store: %w", err)
	}
	counts = map[string]int{}
	for _, c := range rows {
		counts[c.kek] = c.n
	}
	return db.vault.ring.Current.ID, counts, nil
}
