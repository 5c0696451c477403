package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/openkyc/kyc"
)

// Assess screens and rates profiles inside the transactions that change them. Neither
// function does I/O: the caller (the server) holds the screening index and the risk rules.
// A zero Assess screens and rates nothing (bulk loads, tests of other features).
type Assess struct {
	// Screen screens a profile's subjects; the store attaches the resolutions.
	Screen func(p *kyc.Profile) *kyc.ProfileScreening
	// Rate rates a profile with its screening (nil when it has none).
	Rate func(p *kyc.Profile, s *kyc.ProfileScreening) *kyc.RiskAssessment
}

func (a Assess) screen(p *kyc.Profile) *kyc.ProfileScreening {
	if a.Screen == nil {
		return nil
	}
	return a.Screen(p)
}

func (a Assess) rate(p *kyc.Profile, s *kyc.ProfileScreening) *kyc.RiskAssessment {
	if a.Rate == nil {
		return p.Risk
	}
	return a.Rate(p, s)
}

// assess screens next, a change of a stored profile, attaches the resolutions that still
// hold (one query for the profile, however many subjects), writes the screening and rates
// next. Without a screener the stored screening is kept and rated again.
func (db *DB) assess(ctx context.Context, tx *sql.Tx, next *kyc.Profile, a Assess) error {
	s := a.screen(next)
	if s != nil {
		if err := db.attachResolutions(ctx, tx, s); err != nil {
			return err
		}
		if err := db.putScreening(ctx, tx, s); err != nil {
			return err
		}
	} else if a.Rate != nil {
		var err error
		if s, err = db.findScreening(ctx, tx, next.ID); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	next.Risk = a.rate(next, s)
	return nil
}

// attachResolutions gives each hit of s the resolution recorded for its fingerprint. The
// reviewers' reasons are sealed under the profile's data key, each bound to its row
// (resolutionRow) and column.
func (db *DB) attachResolutions(ctx context.Context, q rowsQuerier, s *kyc.ProfileScreening) error {
	if len(s.Hits) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx,
		`SELECT fingerprint, resolution, reason, actor, at FROM screening_resolutions WHERE profile_id = $1`, s.ProfileID)
	if err != nil {
		return err
	}
	defer rows.Close()
	resolved := map[string]*kyc.HitResolution{}
	for rows.Next() {
		var fp string
		var at int64
		r := &kyc.HitResolution{}
		if err := rows.Scan(&fp, &r.As, &r.Reason, &r.By, &at); err != nil {
			return err
		}
		r.At = fromMicros(at)
		reason, err := db.open(ctx, s.ProfileID, resolutionRow(s.ProfileID, fp), colResolutionReason, r.Reason)
		if err != nil {
			return fmt.Errorf("resolution reason of %s: %w", s.ProfileID, err)
		}
		r.Reason = string(reason)
		resolved[fp] = r
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range s.Hits {
		s.Hits[i].Resolution = resolved[s.Hits[i].Fingerprint]
	}
	return nil
}

// screeningDetails is what the details column holds: the subjects and hits, personal data.
type screeningDetails struct {
	Subjects []kyc.ScreenedSubject `json:"subjects"`
	Hits     []kyc.ProfileHit      `json:"hits"`
}

// sealDetails and openDetails are the only code that writes and reads the details column,
// so that encryption at rest wraps them here.
// The details are sealed under the profile's data key, bound to the profile and column.
func (db *DB) sealDetails(ctx context.Context, s *kyc.ProfileScreening) ([]byte, error) {
	b, err := json.Marshal(screeningDetails{Subjects: s.Subjects, Hits: s.Hits})
	if err != nil {
		return nil, err
	}
	seal, err := db.sealerFor(ctx, s.ProfileID)
	return []byte(seal.seal(s.ProfileID, colScreeningDetails, b)), err
}

func (db *DB) openDetails(ctx context.Context, b []byte, s *kyc.ProfileScreening) error {
	b, err := db.open(ctx, s.ProfileID, s.ProfileID, colScreeningDetails, string(b))
	if err != nil {
		return fmt.Errorf("screening of %s: %w", s.ProfileID, err)
	}
	var d screeningDetails
	if err := json.Unmarshal(b, &d); err != nil {
		return fmt.Errorf("screening of %s: details are not a screening", s.ProfileID)
	}
	s.Subjects, s.Hits = d.Subjects, d.Hits
	return nil
}

// matchesKey is the SHA-256 of the sorted fingerprints of the hits: two screenings with the
// same matches have the same key.
func matchesKey(s *kyc.ProfileScreening) string {
	fps := make([]string, len(s.Hits))
	for i, h := range s.Hits {
		fps[i] = h.Fingerprint
	}
	slices.Sort(fps)
	fps = slices.Compact(fps)
	sum := sha256.New()
	for _, fp := range fps {
		sum.Write([]byte(fp + "\n"))
	}
	return hex.EncodeToString(sum.Sum(nil))
}

// putScreening writes s as its profile's latest screening; nil writes nothing.
func (db *DB) putScreening(ctx context.Context, tx *sql.Tx, s *kyc.ProfileScreening) error {
	if s == nil {
		return nil
	}
	details, err := db.sealDetails(ctx, s)
	if err != nil {
		return err
	}
	lists, err := json.Marshal(s.Lists)
	if err != nil {
		return err
	}
	unresolved, confirmed := s.Unresolved()
	_, err = tx.ExecContext(ctx,
		`INSERT INTO screenings (profile_id, screened_at, algorithm_version, threshold, lists, matches, unresolved, confirmed, details)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		 ON CONFLICT (profile_id) DO UPDATE SET screened_at = excluded.screened_at,
		   algorithm_version = excluded.algorithm_version, threshold = excluded.threshold, lists = excluded.lists,
		   matches = excluded.matches, unresolved = excluded.unresolved, confirmed = excluded.confirmed,
		   details = excluded.details`,
		s.ProfileID, micros(s.ScreenedAt), s.AlgorithmVersion, s.Threshold, string(lists), matchesKey(s),
		unresolved, confirmed, details)
	return err
}

// findScreening reads a profile's latest screening; sql.ErrNoRows when it has none.
func (db *DB) findScreening(ctx context.Context, q querier, profileID string) (*kyc.ProfileScreening, error) {
	s := &kyc.ProfileScreening{ProfileID: profileID}
	var at int64
	var lists string
	var details []byte
	err := q.QueryRowContext(ctx,
		`SELECT screened_at, algorithm_version, threshold, lists, details FROM screenings WHERE profile_id = $1`,
		profileID).Scan(&at, &s.AlgorithmVersion, &s.Threshold, &lists, &details)
	if err != nil {
		return nil, err
	}
	s.ScreenedAt = fromMicros(at)
	if err := json.Unmarshal([]byte(lists), &s.Lists); err != nil {
		return nil, fmt.Errorf("screening of %s: lists are not snapshots", profileID)
	}
	return s, db.openDetails(ctx, details, s)
}

// FindScreening returns the latest screening of the account's profile: kyc.NotFound for
// another account's or an unknown profile, ErrNotScreened for one not screened yet.
func (db *DB) FindScreening(ctx context.Context, accountID, profileID string) (*kyc.ProfileScreening, error) {
	if _, err := db.FindProfileByID(ctx, accountID, profileID); err != nil {
		return nil, err
	}
	s, err := db.findScreening(ctx, db.sql, profileID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kyc.ErrNotScreened.New()
	}
	return s, storeError("find screening", err)
}

// screeningClear refuses to verify a profile whose latest screening has a hit unresolved or
// confirmed (kyc.ScreeningClear). A profile never screened has nothing to refuse.
func (db *DB) screeningClear(ctx context.Context, tx *sql.Tx, profileID string, to kyc.Status) error {
	if to != kyc.StatusVerified {
		return nil
	}
	var unresolved, confirmed int
	err := tx.QueryRowContext(ctx, `SELECT unresolved, confirmed FROM screenings WHERE profile_id = $1`, profileID).
		Scan(&unresolved, &confirmed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return kyc.ScreeningClear(to, unresolved, confirmed)
}

func riskJSON(r *kyc.RiskAssessment) sql.NullString {
	if r == nil {
		return sql.NullString{}
	}
	b, _ := json.Marshal(r) // strings and ints: cannot fail
	return sql.NullString{String: string(b), Valid: true}
}

func riskChanged(old, next *kyc.RiskAssessment) bool { return !reflect.DeepEqual(old, next) }

// ResolveHit records a reviewer's resolution of a hit of a profile's latest screening, keyed
// by the hit's fingerprint, and in the same transaction updates the screening, rates the
// profile again with a (its Rate only) and writes a history entry. Another hit with the same
// fingerprint (the same person named twice in the profile) is resolved with it.
func (db *DB) ResolveHit(ctx context.Context, profileID, hitID string, r kyc.HitResolution, a Assess) (*kyc.ProfileScreening, error) {
	if err := kyc.CheckResolution(r); err != nil {
		return nil, err
	}
	owner, err := db.FindProfileAnyAccount(ctx, profileID)
	if err != nil {
		return nil, err
	}
	var out *kyc.ProfileScreening
	err = db.write(ctx, func(tx *sql.Tx) error {
		p, err := db.findProfileForUpdate(ctx, tx, owner.AccountID, profileID)
		if err != nil {
			return err
		}
		out, err = db.resolve(ctx, tx, p, hitID, r, a)
		return err
	})
	return out, storeError("resolve hit", err)
}

func (db *DB) resolve(ctx context.Context, tx *sql.Tx, p *kyc.Profile, hitID string, r kyc.HitResolution, a Assess) (*kyc.ProfileScreening, error) {
	s, err := db.findScreening(ctx, tx, p.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kyc.ErrNotScreened.New()
	}
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(s.Hits, func(h kyc.ProfileHit) bool { return h.ID == hitID })
	if i < 0 {
		return nil, kyc.HitNotFound(hitID)
	}
	r.At = db.now()
	fp := s.Hits[i].Fingerprint
	for j := range s.Hits {
		if s.Hits[j].Fingerprint == fp {
			s.Hits[j].Resolution = &r
		}
	}
	seal, err := db.sealerFor(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	reason := seal.seal(resolutionRow(p.ID, fp), colResolutionReason, []byte(r.Reason))
	_, err = tx.ExecContext(ctx,
		`INSERT INTO screening_resolutions (profile_id, fingerprint, hit_id, resolution, reason, actor, at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7)
		 ON CONFLICT (profile_id, fingerprint) DO UPDATE SET hit_id = excluded.hit_id, resolution = excluded.resolution,
		   reason = excluded.reason, actor = excluded.actor, at = excluded.at`,
		p.ID, fp, hitID, r.As, reason, r.By, micros(r.At))
	if err != nil {
		return nil, err
	}
	if err := db.putScreening(ctx, tx, s); err != nil {
		return nil, err
	}
	t := kyc.Transition{Event: kyc.EventHitResolved, From: p.Status, To: p.Status, At: r.At,
		Actor: kyc.Actor{Type: kyc.ActorReviewer, Name: r.By}, Resolution: &kyc.ResolutionEntry{HitID: hitID, As: r.As}}
	if err := db.rerate(ctx, tx, p, s, a, &t); err != nil {
		return nil, err
	}
	return s, recordTransition(ctx, tx, p.ID, t)
}

// resolutionRow is a resolution's row as bound into its sealed reason: the profile and the
// hit's fingerprint (the table's key), as the conversion from clear also names it.
func resolutionRow(profileID, fingerprint string) string { return profileID + "/" + fingerprint }

// rerate rates p again with a after its screening became s, with no change of its data (a
// resolution, a re-screening): the new rating is written without a new version, and put in
// the history entry t.
func (db *DB) rerate(ctx context.Context, tx *sql.Tx, p *kyc.Profile, s *kyc.ProfileScreening, a Assess, t *kyc.Transition) error {
	rated := a.rate(p, s)
	if !riskChanged(p.Risk, rated) {
		return nil
	}
	p.Risk, t.Risk = rated, rated
	_, err := tx.ExecContext(ctx, `UPDATE profiles SET risk = $1 WHERE id = $2`, riskJSON(rated), p.ID)
	return err
}

// eraseScreening removes what screening kept of an erased profile: its screening (the names
// screened, the entries matched), its resolutions (reviewers' reasons), its rating, and the
// details of its history entries (ratings name countries; alerts name list entries). The
// entries themselves stay, as the tombstone's history.
func eraseScreening(ctx context.Context, tx *sql.Tx, profileID string) error {
	for _, stmt := range []string{
		`DELETE FROM screenings WHERE profile_id = $1`,
		`DELETE FROM screening_resolutions WHERE profile_id = $1`,
		`UPDATE profiles SET risk = NULL WHERE id = $1`,
		`UPDATE profile_history SET detail = NULL WHERE profile_id = $1`,
	} {
		if _, err := tx.ExecContext(ctx, stmt, profileID); err != nil {
			return err
		}
	}
	return nil
}
