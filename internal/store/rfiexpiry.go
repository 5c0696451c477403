package store

import (
	"context"
	"fmt"

	"github.com/openkyc/kyc"
)

// expiryBatch bounds the RFIs one sweep expires; the next sweep takes the rest.
const expiryBatch = 100

// ExpireRFIs expires the RFIs whose time to answer has passed (status sent, expires_at at
// or before now), each in a transaction of its own under its profile's lock, and returns how
// many it expired. An expired onboarding RFI rejects its pending profile with code 405,
// through the review decision's path, with the service as the actor.
//
// Everything it needs is in the database, so a sweep after a restart expires what fell due
// while no server ran. Several instances may sweep at once: each RFI is read again under
// the lock and expired only if it is still sent and due, so it is expired once.
func (db *DB) ExpireRFIs(ctx context.Context) (int, error) {
	type due struct{ account, profile, id string }
	rows, err := db.sql.QueryContext(ctx,
		`SELECT account_id, profile_id, id FROM rfi_requests
		 WHERE status = 'sent' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`, micros(db.now()), expiryBatch)
	if err != nil {
		return 0, fmt.Errorf("store: expire rfis: %w", err)
	}
	var all []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.account, &d.profile, &d.id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: expire rfis: %w", err)
		}
		all = append(all, d)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("store: expire rfis: %w", err)
	}
	rows.Close()
	n := 0
	for _, d := range all {
		expired := false
		_, err := db.changeRFI(ctx, d.account, d.profile, d.id, kyc.Actor{Type: kyc.ActorSystem, Name: "rfi expiry"},
			func(r *kyc.RFI) error {
				expired = r.Status == kyc.RFISent && !r.ExpiresAt.After(db.now())
				if !expired {
					return nil
				}
				return r.Transition(kyc.RFIExpired, db.now())
			})
		if err != nil {
			return n, err
		}
		if expired {
			n++
		}
	}
	return n, nil
}
