package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/screening"
)

// ImportList stores l as the next version of its source, entries and counts in one
// transaction, so that a snapshot is there whole or not at all. When the source's active
// snapshot has the same SHA-256 nothing is written: it returns that snapshot and false, so
// that a scheduled refresh of an unchanged list makes no new version.
func (db *DB) ImportList(ctx context.Context, l *screening.List) (*kyc.ListSnapshot, bool, error) {
	content, err := encodeEntries(l.Entries)
	if err != nil {
		return nil, false, fmt.Errorf("store: import list: %w", err)
	}
	snap, created, err := db.importList(ctx, l, content)
	if db.dialect.isUnique(err) {
		// Another instance imported a first version of the source at the same moment (with
		// no row yet, there was none to lock): this one now sees it and follows it.
		snap, created, err = db.importList(ctx, l, content)
	}
	if err != nil {
		return nil, false, storeError("import list", err)
	}
	return snap, created, nil
}

// importList is one attempt of ImportList. On PostgreSQL the active snapshot's row is locked,
// so that two instances importing a source at once take its versions in turn.
func (db *DB) importList(ctx context.Context, l *screening.List, content []byte) (*kyc.ListSnapshot, bool, error) {
	var snap *kyc.ListSnapshot
	var created bool
	err := db.write(ctx, func(tx *sql.Tx) error {
		active, err := findActiveList(ctx, tx, l.Source, db.dialect.forUpdate)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if active != nil && active.SHA256 == l.SHA256 {
			snap, created = active, false
			return nil
		}
		snap, err = db.insertSnapshot(ctx, tx, l, active, content)
		created = true
		return err
	})
	return snap, created, err
}

func (db *DB) insertSnapshot(ctx context.Context, tx *sql.Tx, l *screening.List, active *kyc.ListSnapshot, content []byte) (*kyc.ListSnapshot, error) {
	id, err := newID("list_")
	if err != nil {
		return nil, err
	}
	s := &kyc.ListSnapshot{ID: id, Source: string(l.Source), Version: 1, Published: l.Published, SHA256: l.SHA256,
		Entries: len(l.Entries), Aliases: l.Aliases(), ImportedAt: db.now()}
	if active != nil {
		s.Version = active.Version + 1
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO list_snapshots
		(id, source, version, published_at, sha256, entries, aliases, imported_at, content)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		s.ID, s.Source, s.Version, nullMicros(s.Published), s.SHA256, s.Entries, s.Aliases, micros(s.ImportedAt), content)
	return s, err
}

const snapshotColumns = `id, source, version, published_at, sha256, entries, aliases, imported_at`

// activeSnapshots selects the highest version of each source.
const activeSnapshots = ` FROM list_snapshots s WHERE version = (SELECT MAX(version) FROM list_snapshots WHERE source = s.source)`

func findActiveList(ctx context.Context, q querier, src screening.Source, lock string) (*kyc.ListSnapshot, error) {
	return scanSnapshot(q.QueryRowContext(ctx, `SELECT `+snapshotColumns+activeSnapshots+` AND source = $1`+lock, src))
}

func scanSnapshot(row interface{ Scan(...any) error }) (*kyc.ListSnapshot, error) {
	var s kyc.ListSnapshot
	var published sql.NullInt64
	var imported int64
	err := row.Scan(&s.ID, &s.Source, &s.Version, &published, &s.SHA256, &s.Entries, &s.Aliases, &imported)
	if err != nil {
		return nil, err
	}
	s.Published, s.ImportedAt = fromNullMicros(published), fromMicros(imported)
	return &s, nil
}

// FindActiveLists returns the active snapshot of each source that has one, by source.
func (db *DB) FindActiveLists(ctx context.Context) ([]kyc.ListSnapshot, error) {
	var out []kyc.ListSnapshot
	err := db.eachActiveList(ctx, false, func(s *kyc.ListSnapshot, _ []byte) error {
		out = append(out, *s)
		return nil
	})
	return out, storeError("find active lists", err)
}

// LoadActiveLists returns the active snapshot of each source with its entries.
func (db *DB) LoadActiveLists(ctx context.Context) ([]screening.Loaded, error) {
	var out []screening.Loaded
	err := db.eachActiveList(ctx, true, func(s *kyc.ListSnapshot, content []byte) error {
		entries, err := decodeEntries(content)
		if err != nil {
			return fmt.Errorf("snapshot %s: %w", s.ID, err)
		}
		out = append(out, screening.Loaded{Snapshot: *s, Entries: entries})
		return nil
	})
	return out, storeError("load active lists", err)
}

func (db *DB) eachActiveList(ctx context.Context, withContent bool, fn func(*kyc.ListSnapshot, []byte) error) error {
	cols := snapshotColumns
	if withContent {
		cols += `, content`
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT `+cols+activeSnapshots+` ORDER BY source`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var content []byte
		s, err := scanSnapshot(scanFunc(func(dest ...any) error {
			if withContent {
				dest = append(dest, &content)
			}
			return rows.Scan(dest...)
		}))
		if err != nil {
			return err
		}
		if err := fn(s, content); err != nil {
			return err
		}
	}
	return rows.Err()
}

type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// maxContentBytes bounds a snapshot's entries once decompressed: the JSON of a list is about
// the size of its files, which are bounded by screening.MaxFileBytes each.
const maxContentBytes = 8 * screening.MaxFileBytes

func encodeEntries(entries []screening.Entry) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(entries); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decodeEntries(content []byte) ([]screening.Entry, error) {
	zr, err := gzip.NewReader(bytes.NewReader(content))
	if err != nil {
		return nil, err
	}
	var entries []screening.Entry
	err = json.NewDecoder(io.LimitReader(zr, maxContentBytes)).Decode(&entries)
	return entries, err
}
