package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/openkyc/kyc"
)

// RescreenBatch re-screens, rates and records the next limit profiles (by id, every account)
// of the re-screening for target (the snapshots, algorithm and rules a caller screens with:
// see server.Rescreen) in one write transaction, and moves the run's cursor past them in the
// same commit. A run interrupted anywhere resumes after the last batch committed. It reports
// whether the run is finished. A new alert is raised (history entry and cpScreeningAlert
// event) only for a profile whose set of matches changed.
func (db *DB) RescreenBatch(ctx context.Context, target string, a Assess, limit int) (done bool, err error) {
	err = db.write(ctx, func(tx *sql.Tx) error {
		run, err := db.lockRun(ctx, tx, target)
		if err != nil || run.FinishedAt != nil {
			done = err == nil
			return err
		}
		profiles, err := db.profilesAfter(ctx, tx, run.after, limit)
		if err != nil {
			return err
		}
		alerts := 0
		for _, p := range profiles {
			if p.ErasedAt != nil {
				continue // a tombstone: nothing left to screen
			}
			alerted, err := db.rescreen(ctx, tx, p, a)
			if err != nil {
				return fmt.Errorf("profile %s: %w", p.ID, err)
			}
			if alerted {
				alerts++
			}
		}
		done = len(profiles) < limit
		return db.advanceRun(ctx, tx, target, profiles, alerts, done)
	})
	return done, storeError("rescreen", err)
}

// rescreenRun is a run's row.
type rescreenRun struct {
	kyc.RescreenProgress
	after string
}

// lockRun reads the run of target, creating it if new (counting the profiles to do, once),
// and on PostgreSQL locks it until tx ends: instances re-screening at once take batches in
// turn. (SQLite needs the WHERE to read ON CONFLICT as the upsert's, not a join's.)
func (db *DB) lockRun(ctx context.Context, tx *sql.Tx, target string) (*rescreenRun, error) {
	lock := func() (*rescreenRun, error) {
		return scanRun(tx.QueryRowContext(ctx, `SELECT `+runColumns+` FROM rescreen_runs WHERE target = $1`+db.dialect.forUpdate, target))
	}
	run, err := lock()
	if !errors.Is(err, sql.ErrNoRows) {
		return run, err
	}
	_, err = tx.ExecContext(ctx,
		`INSERT INTO rescreen_runs (target, started_at, after_id, total, screened, alerts)
		 SELECT $1, $2, '', COUNT(*), 0, 0 FROM profiles WHERE true
		 ON CONFLICT (target) DO NOTHING`, target, micros(db.now()))
	if err != nil {
		return nil, err
	}
	return lock()
}

const runColumns = `target, started_at, after_id, total, screened, alerts, finished_at`

func scanRun(row scanner) (*rescreenRun, error) {
	var r rescreenRun
	var started int64
	var finished sql.NullInt64
	if err := row.Scan(&r.Target, &started, &r.after, &r.Total, &r.Screened, &r.Alerts, &finished); err != nil {
		return nil, err
	}
	r.StartedAt, r.FinishedAt = fromMicros(started), fromNullMicros(finished)
	return &r, nil
}

func (db *DB) profilesAfter(ctx context.Context, tx *sql.Tx, after string, limit int) ([]*kyc.Profile, error) {
	rows, err := tx.QueryContext(ctx,
		`SELECT `+profileColumns+` FROM profiles WHERE id > $1 ORDER BY id LIMIT $2`+db.dialect.forUpdate, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*kyc.Profile
	for rows.Next() {
		p, err := db.scanProfile(ctx)(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (db *DB) advanceRun(ctx context.Context, tx *sql.Tx, target string, done []*kyc.Profile, alerts int, finished bool) error {
	var finishedAt sql.NullInt64
	if finished {
		finishedAt = sql.NullInt64{Int64: micros(db.now()), Valid: true}
	}
	after := ""
	if len(done) > 0 {
		after = done[len(done)-1].ID
	}
	_, err := tx.ExecContext(ctx,
		`UPDATE rescreen_runs SET after_id = CASE WHEN $1 = '' THEN after_id ELSE $1 END,
		   screened = screened + $2, alerts = alerts + $3, finished_at = $4
		 WHERE target = $5`, after, len(done), alerts, finishedAt, target)
	return err
}

// rescreen screens p again, keeps the resolutions that still hold, rates it, and raises an
// alert if its matches changed; it reports whether it did.
func (db *DB) rescreen(ctx context.Context, tx *sql.Tx, p *kyc.Profile, a Assess) (bool, error) {
	prev, err := db.findScreening(ctx, tx, p.ID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	s := a.screen(p)
	if err := db.attachResolutions(ctx, tx, s); err != nil {
		return false, err
	}
	if err := db.putScreening(ctx, tx, s); err != nil {
		return false, err
	}
	t := kyc.Transition{Event: kyc.EventRiskRated, From: p.Status, To: p.Status, At: db.now(), Actor: kyc.Actor{Type: kyc.ActorSystem}}
	if err := db.rerate(ctx, tx, p, s, a, &t); err != nil {
		return false, err
	}
	t.Alert = alertOf(prev, s)
	if t.Alert == nil {
		if t.Risk == nil {
			return false, nil
		}
		return false, recordTransition(ctx, tx, p.ID, t)
	}
	t.Event = kyc.EventAlert
	if err := recordTransition(ctx, tx, p.ID, t); err != nil {
		return false, err
	}
	return true, db.enqueue(ctx, tx, outboxEvent{name: kyc.EventScreeningAlert, accountID: p.AccountID, profileID: p.ID,
		triggerableID: p.ID, body: kyc.NewAlertDocument(t.Alert), at: t.At})
}

// alertOf is what changed from prev (nil: never screened) to s, or nil when the set of
// matches is the same.
func alertOf(prev, s *kyc.ProfileScreening) *kyc.ScreeningAlert {
	if prev == nil {
		prev = &kyc.ProfileScreening{}
	}
	if matchesKey(prev) == matchesKey(s) {
		return nil
	}
	unresolved, _ := s.Unresolved()
	return &kyc.ScreeningAlert{ProfileID: s.ProfileID, Added: missingFrom(s.Hits, prev.Hits), Removed: missingFrom(prev.Hits, s.Hits),
		Unresolved: unresolved, ScreenedAt: s.ScreenedAt}
}

// missingFrom lists the hits of from whose fingerprint none of other has.
func missingFrom(from, other []kyc.ProfileHit) []kyc.AlertHit {
	have := map[string]bool{}
	for _, h := range other {
		have[h.Fingerprint] = true
	}
	out := []kyc.AlertHit{}
	for _, h := range from {
		if !have[h.Fingerprint] {
			out = append(out, kyc.AlertHit{ID: h.ID, Subject: h.Subject, List: h.List, Ref: h.Entry.Ref, Score: h.Score})
		}
	}
	return out
}

// FindRescreenProgress returns the latest re-screening run; nil when there has been none.
func (db *DB) FindRescreenProgress(ctx context.Context) (*kyc.RescreenProgress, error) {
	r, err := scanRun(db.sql.QueryRowContext(ctx, `SELECT `+runColumns+` FROM rescreen_runs ORDER BY started_at DESC, target LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: find rescreen progress: %w", err)
	}
	return &r.RescreenProgress, nil
}

// RescreenFinished reports whether the run of target is finished.
func (db *DB) RescreenFinished(ctx context.Context, target string) (bool, error) {
	var finished sql.NullInt64
	err := db.sql.QueryRowContext(ctx, `SELECT finished_at FROM rescreen_runs WHERE target = $1`, target).Scan(&finished)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return finished.Valid, storeError("rescreen finished", err)
}
