package store

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"maps"
	"strings"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/keys"
)

// MaxSeed bounds one SeedProfiles call.
const MaxSeed = 10_000_000

// seedChunk is how many data keys of a sealed seeding one commit of the key store makes,
// and seedRows how many profiles one INSERT writes: the SQLite driver looks each of a
// statement's parameters up by a linear search, so that a statement of thousands of them
// spends its time there.
const (
	seedChunk = 2048
	seedRows  = 64
)

// SeedProfiles fills the account with n profiles of kind k holding data, in the kind's
// initial status, for load tests: straight into the tables, in one transaction, without
// the API's validation and audit (a million take a minute, not the hour the API would).
//
// Profile i has the id SeedID(i), registration id "SEED<i in 8 digits>" and email
// "seed<i in 8 digits>@example.com", a creation history row, and times i microseconds after
// the current time minus n microseconds, so that profiles created afterwards sort after
// them. On a database with keys they are stored as the service stores its own: each with
// a data key of its own, its attributes sealed, its registration id and email as keyed
// hashes. Without keys (KeyOptions.Plaintext, or a database opened without a KEK, which
// the service would convert) they are stored in clear.
func (db *DB) SeedProfiles(ctx context.Context, accountID string, k *kyc.Kind, data kyc.Data, n int) error {
	if n < 1 || n > MaxSeed {
		return fmt.Errorf("store: seed 1 to %d profiles", MaxSeed)
	}
	attrs, err := k.EncodeData(seedTemplate(data))
	if err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	s := seeding{db: db, accountID: accountID, kind: k, attrs: attrs, n: n, from: micros(db.now()) - int64(n)}
	conn, release, err := db.seedConn(ctx)
	if err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	defer release()
	// Not through db.write: one long bulk transaction has no place in a group commit, whose
	// batches are bounded in time.
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	defer tx.Rollback() // a no-op after Commit
	if db.vault == nil {
		err = s.clear(ctx, tx)
	} else {
		err = s.sealed(ctx, tx)
	}
	if err != nil {
		return fmt.Errorf("store: seed profiles: %w", err)
	}
	if _, err := tx.ExecContext(ctx, seedHistory, accountID, string(k.Initial), SeedID(1), SeedID(n)); err != nil {
		return fmt.Errorf("store: seed history: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if db.vault == nil {
		db.sealedOnly.Store(false)
	}
	return nil
}

// seedConn returns the connection to seed on, and what gives it back. On SQLite it has a
// cache large enough for the indexes of a million profiles: the keyed hashes of sealed
// rows land all over their indexes, and with the default 2 MB each insert would write out
// a page that a later insert changes again (the seeding's one transaction then wrote 5 KB
// of WAL a profile). That connection is closed after use, which frees its cache, rather
// than kept in the pool.
func (db *DB) seedConn(ctx context.Context) (*sql.Conn, func(), error) {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	if db.dialect.name != "sqlite" {
		return conn, func() { conn.Close() }, nil
	}
	discard := func() {
		conn.Raw(func(any) error { return driver.ErrBadConn }) // database/sql closes it
		conn.Close()
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -524288`); err != nil { // 512 MiB, as pages are used
		discard()
		return nil, nil, err
	}
	return conn, discard, nil
}

// seeding is one SeedProfiles call.
type seeding struct {
	db        *DB
	accountID string
	kind      *kyc.Kind
	attrs     []byte // encoded once, seedNumber standing for each profile's number
	n         int
	from      int64 // microseconds; profile i was created at from+i
}

// seedNumber stands for the profile's number (8 digits) in the attributes SeedProfiles
// encodes once; each profile's copy has it replaced.
const seedNumber = "########"

// seedTemplate is data with its registration id and email made of the profile's number.
func seedTemplate(data kyc.Data) kyc.Data {
	d := make(kyc.Data, len(data))
	maps.Copy(d, data)
	d["registrationId"] = "SEED" + seedNumber
	d["email"] = "seed" + seedNumber + "@example.com"
	return d
}

// clear makes every row by one statement inside the database.
func (s *seeding) clear(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, s.db.dialect.seedProfiles, s.n, s.accountID, s.kind.RegistrationType,
		string(s.attrs), s.from, s.kind.Name, string(s.kind.Initial)); err != nil {
		return err
	}
	// The seeded values are in clear: the database is no longer sealed only.
	_, err := tx.ExecContext(ctx, `DELETE FROM sealed_only`)
	return err
}

// sealed makes the rows here, seedChunk at a time: the chunk's data keys are committed to
// the key store first (a key whose profile never comes, should the seeding fail, opens
// nothing), then its rows are inserted in the seeding's transaction.
func (s *seeding) sealed(ctx context.Context, tx *sql.Tx) error {
	for first := 1; first <= s.n; first += seedChunk {
		last := min(first+seedChunk-1, s.n)
		owners := make([]string, 0, last-first+1)
		for i := first; i <= last; i++ {
			owners = append(owners, SeedID(i))
		}
		ks, err := s.db.vault.create(ctx, owners)
		if err != nil {
			return err
		}
		for start := first; start <= last; start += seedRows {
			end := min(start+seedRows-1, last)
			if _, err := tx.ExecContext(ctx, seedInsert(end-start+1), s.rows(start, end, ks)...); err != nil {
				return err
			}
		}
	}
	return nil
}

// rows returns the values of profiles first to last, sealed under their keys ks.
func (s *seeding) rows(first, last int, ks map[string]*keys.DataKey) []any {
	args := make([]any, 0, (last-first+1)*len(seedRowColumns))
	for i := first; i <= last; i++ {
		num := fmt.Sprintf("%08d", i)
		id, at := SeedID(i), s.from+int64(i)
		plain := bytes.ReplaceAll(s.attrs, []byte(seedNumber), []byte(num))
		args = append(args, id, s.accountID, s.kind.RegistrationType,
			s.db.lookup(hashRegistration, kyc.RegistrationKey("SEED"+num)),
			s.db.lookup(hashEmail, emailKey("seed"+num+"@example.com")),
			string(s.kind.Initial), ks[id].Seal(id, colAttributes, plain), 1, at, at, s.kind.Name)
	}
	return args
}

var seedRowColumns = []string{"id", "account_id", "registration_type", "registration_key", "email_key", "status",
	"attributes", "version", "created_at", "updated_at", "kind"}

// seedInsert is the INSERT of rows profiles, seedRowColumns each.
func seedInsert(rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO profiles (` + strings.Join(seedRowColumns, ", ") + `) VALUES `)
	p := 0
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range seedRowColumns {
			if c > 0 {
				b.WriteString(", ")
			}
			p++
			fmt.Fprintf(&b, "$%d", p)
		}
		b.WriteByte(')')
	}
	return b.String()
}

const seedColumns = `INSERT INTO profiles (id, account_id, registration_type, registration_key, status,
	attributes, version, created_at, updated_at, kind) `

const seedSQLite = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) ` + seedColumns +
	`SELECT printf('customer_profile_00000000-0000-7000-8000-%012x', i), $2, $3, 'SEED' || printf('%08d', i), $7,
	        replace($4, '` + seedNumber + `', printf('%08d', i)), 1, $5 + i, $5 + i, $6 FROM n`

const seedPostgres = seedColumns +
	`SELECT 'customer_profile_00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'), $2, $3, 'SEED' || lpad(i::text, 8, '0'),
	        $7, replace($4, '` + seedNumber + `', lpad(i::text, 8, '0')), 1, $5::bigint + i, $5::bigint + i, $6 FROM generate_series(1, $1::bigint) AS i`

// seedHistory writes the creation of the seeded profiles, whose ids run from $3 to $4 in
// the ids' order (SeedID pads its number).
const seedHistory = `INSERT INTO profile_history (profile_id, from_status, to_status, actor_type, actor, reason_codes, at)
	SELECT id, NULL, $2, 'account', account_id, '[]', created_at FROM profiles
	WHERE account_id = $1 AND id BETWEEN $3 AND $4`

// SeedID is the id SeedProfiles gives its i-th profile (from 1).
func SeedID(i int) string { return fmt.Sprintf("customer_profile_00000000-0000-7000-8000-%012x", i) }
