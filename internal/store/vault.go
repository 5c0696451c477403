package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openkyc/kyc/internal/keys"
)

// Encryption at rest. Each profile has a data key of its own (AES-256-GCM), wrapped by the
// key-encryption key (KEK) and kept in the key store, a database apart from the data: a
// SQLite file beside the database, or a PostgreSQL schema of its own (or any database
// named by KeyOptions.KeyDB). The profile's personal data, and that of the rows that belong
// to it (webhook bodies, RFI questions and answers, source-of-wealth links), are sealed
// under that key, each value bound to its row and column. Ids, statuses, kinds, times and
// versions stay clear, so that lists and indexes work. Lookups use keyed hashes (keys.Hasher)
// of a key of their own, also in the key store.

// KeyOptions name the keys of encryption at rest.
type KeyOptions struct {
	// KEK is the key-encryption key's URL (keys.OpenKEK). Empty: on SQLite, the key file
	// beside the database (kyc.db: kyc.kek), created when the database may be; on
	// PostgreSQL, none, and every read or write of personal data fails.
	KEK string
	// PreviousKEKs are older KEKs still accepted for reading while a rotation re-wraps
	// their keys.
	PreviousKEKs []string
	// KeyDB is the key store's database. Empty: on SQLite the file beside the database
	// (kyc.db: kyc.keys.db); on PostgreSQL the schema <current schema>_keys of the same
	// database.
	KeyDB string
	// Plaintext stores personal data in clear, with no key at all: only for measuring what
	// encryption costs (the benchmarks' baseline). No command offers it.
	Plaintext bool
}

// ErrNoKEK is a read or write of personal data on a database opened without a
// key-encryption key.
var ErrNoKEK = errors.New("store: no key-encryption key: give --kek (README: Protecting personal data)")

// ErrKeyDestroyed is a sealed value whose data key the key store does not hold: the profile
// was erased (DestroyDataKey), or the key store is not the database's.
var ErrKeyDestroyed = errors.New("store: no data key for this profile: destroyed (erased), or another key store")

// lookupOwner is the key store's row of the keyed hashes' key, and serviceOwner that of the
// service's own data key, which seals what belongs to no profile and must outlive an
// erasure (reviewers' TOTP secrets, an erasure's reason). Profile ids never take them.
const (
	lookupOwner  = "lookup"
	serviceOwner = "service"
)

// Cache bounds of unwrapped data keys: a few minutes of a busy server's working set.
const (
	keyCacheSize = 20_000
	keyCacheTTL  = 2 * time.Minute
	// keyPoolSize is how many fresh data keys are made, wrapped and stored in one commit of
	// the key store, ahead of the creates that take them: a create does not wait for a commit
	// of its own there. The pool is filled again in the background when half of it is used.
	keyPoolSize = 64
)

type vault struct {
	ring    *keys.Ring
	keys    *DB // the key store
	hasher  *keys.Hasher
	service *keys.DataKey
	cache   *keys.Cache

	refill    sync.Mutex
	pool      chan reserved
	refilling atomic.Bool    // a background fill is under way
	bg        sync.WaitGroup // the background fill, waited for by close
}

// reserved is a fresh profile id with its data key, already durable in the key store.
type reserved struct {
	owner string
	key   *keys.DataKey
}

// openVault opens the KEKs and the key store of the database dsn; it returns ErrNoKEK when
// there is no KEK to open, which the caller may accept (see KeyOptions.KEK).
func openVault(ctx context.Context, dsn string, opts Options) (*vault, error) {
	kekURL, create := opts.Keys.KEK, true
	if kekURL == "" {
		path, ok := SQLiteFile(dsn)
		if !ok {
			return nil, ErrNoKEK
		}
		kekURL, create = keys.KeyFileScheme+":"+KeyFile(path), !opts.MustExist
	}
	ring, err := openRing(ctx, kekURL, create, opts.Keys.PreviousKEKs)
	if err != nil {
		if opts.Keys.KEK == "" && opts.MustExist {
			return nil, ErrNoKEK // an administrative command on a database that never had one
		}
		return nil, err
	}
	v := &vault{ring: ring, cache: keys.NewCache(keyCacheSize, keyCacheTTL), pool: make(chan reserved, 2*keyPoolSize)}
	if v.keys, err = openKeyStore(ctx, dsn, opts); err != nil {
		ring.Close()
		return nil, err
	}
	if err := v.loadHasher(ctx); err != nil {
		v.close()
		return nil, err
	}
	return v, nil
}

func openRing(ctx context.Context, current string, create bool, previous []string) (*keys.Ring, error) {
	kek, err := keys.OpenKEK(ctx, current, create)
	if err != nil {
		return nil, err
	}
	var prev []*keys.KEK
	for _, u := range previous {
		k, err := keys.OpenKEK(ctx, u, false)
		if err != nil {
			kek.Close()
			return nil, fmt.Errorf("previous KEK: %w", err)
		}
		prev = append(prev, k)
	}
	return keys.NewRing(kek, prev...), nil
}

func (v *vault) close() error {
	v.bg.Wait()
	return errors.Join(v.keys.Close(), v.ring.Close())
}

// KeyFile is the sandbox's key file of the SQLite database at path: kyc.db → kyc.kek.
func KeyFile(path string) string { return sibling(path, ".kek") }

// KeyStoreFile is the key store of the SQLite database at path: kyc.db → kyc.keys.db.
func KeyStoreFile(path string) string { return sibling(path, ".keys.db") }

func sibling(path, suffix string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + suffix
}

// openKeyStore opens and migrates the key store of the database dsn.
func openKeyStore(ctx context.Context, dsn string, opts Options) (*DB, error) {
	keyDSN := opts.Keys.KeyDB
	if keyDSN == "" {
		var err error
		if keyDSN, err = defaultKeyStore(ctx, dsn); err != nil {
			return nil, err
		}
	}
	kopts := Options{MaxConns: opts.MaxConns, ConnTimeout: opts.ConnTimeout}
	var db *DB
	var err error
	if isPostgres(keyDSN) {
		db, err = openPostgres(ctx, keyDSN, kopts)
	} else {
		db, err = openSQLite(ctx, keyDSN, kopts)
	}
	if err != nil {
		return nil, fmt.Errorf("key store: %w", err)
	}
	db.keyStore = true
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("key store: %w", err)
	}
	return db, nil
}

// defaultKeyStore is the file beside a SQLite database, or the schema <schema>_keys of a
// PostgreSQL one, created when missing.
func defaultKeyStore(ctx context.Context, dsn string) (string, error) {
	if path, ok := SQLiteFile(dsn); ok {
		return "sqlite:" + KeyStoreFile(path), nil
	}
	db, err := openPostgres(ctx, dsn, Options{MaxConns: 1})
	if err != nil {
		return "", err
	}
	defer db.Close()
	var schema string
	if err := db.sql.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return "", fmt.Errorf("key store: %w", err)
	}
	schema += "_keys"
	// Two instances starting at once may both try: the loser's duplicate is no failure.
	_, err = db.sql.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+quoteIdent(schema))
	if err != nil && !db.dialect.isUnique(err) && pgCode(err) != "42P06" {
		return "", fmt.Errorf("key store: create schema: %w", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", errors.New("store: invalid PostgreSQL connection URL")
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// loadHasher reads the key of the keyed hashes and the service's data key, made at the key
// store's first use.
func (v *vault) loadHasher(ctx context.Context) error {
	raw, err := v.ownKey(ctx, lookupOwner)
	if err != nil {
		return err
	}
	if v.hasher, err = keys.NewHasher(raw); err != nil {
		return err
	}
	if raw, err = v.ownKey(ctx, serviceOwner); err != nil {
		return err
	}
	v.service, err = keys.NewDataKeyFrom(raw)
	return err
}

// ownKey returns the key of one of the key store's own owners, made when missing. Of
// instances starting at once, the first insert wins and all read it back.
func (v *vault) ownKey(ctx context.Context, owner string) ([]byte, error) {
	raw, err := keys.NewDataKey()
	if err != nil {
		return nil, err
	}
	kek, wrapped, err := v.ring.Wrap(ctx, raw)
	if err != nil {
		return nil, err
	}
	err = v.keys.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO data_keys (owner, kek, wrapped, created_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (owner) DO NOTHING`, owner, kek, wrapped, micros(v.keys.now()))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("key store: %w", err)
	}
	return v.unwrapOwner(ctx, owner)
}

// unwrapOwner reads and unwraps the owner's data key.
func (v *vault) unwrapOwner(ctx context.Context, owner string) ([]byte, error) {
	var kek string
	var wrapped []byte
	err := v.keys.sql.QueryRowContext(ctx, `SELECT kek, wrapped FROM data_keys WHERE owner = $1`, owner).Scan(&kek, &wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrKeyDestroyed
	}
	if err != nil {
		return nil, fmt.Errorf("key store: %w", err)
	}
	return v.ring.Unwrap(ctx, kek, wrapped)
}

// key returns the owner's data key, from the cache or the key store.
func (v *vault) key(ctx context.Context, owner string) (*keys.DataKey, error) {
	if k, ok := v.cache.Get(owner); ok {
		return k, nil
	}
	raw, err := v.unwrapOwner(ctx, owner)
	if err != nil {
		return nil, err
	}
	k, err := keys.NewDataKeyFrom(raw)
	if err != nil {
		return nil, err
	}
	v.cache.Put(owner, k)
	return k, nil
}

// reserve returns a fresh profile id and its data key, already durable in the key store.
// The keys are made keyPoolSize at a time, in one commit of the key store; one left unused
// when the process stops is an orphan, which opens nothing.
func (v *vault) reserve(ctx context.Context) (reserved, error) {
	for {
		select {
		case r := <-v.pool:
			if len(v.pool) < keyPoolSize/2 {
				v.fillSoon()
			}
			return r, nil
		default:
		}
		if err := v.fill(ctx, 0); err != nil {
			return reserved{}, err
		}
	}
}

// fillSoon fills the pool in the background, once at a time. A failure is left to the
// create that finds the pool empty, which fills it itself and reports it.
func (v *vault) fillSoon() {
	if !v.refilling.CompareAndSwap(false, true) {
		return
	}
	v.bg.Go(func() {
		defer v.refilling.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = v.fill(ctx, keyPoolSize/2)
	})
}

// fill adds keyPoolSize keys to the pool unless it holds more than below already (another
// caller filled it meanwhile).
func (v *vault) fill(ctx context.Context, below int) error {
	v.refill.Lock()
	defer v.refill.Unlock()
	if len(v.pool) > below {
		return nil
	}
	owners := make([]string, keyPoolSize)
	for i := range owners {
		id, err := newID("customer_profile_")
		if err != nil {
			return err
		}
		owners[i] = id
	}
	made, err := v.create(ctx, owners)
	if err != nil {
		return err
	}
	for _, o := range owners {
		v.pool <- reserved{owner: o, key: made[o]}
	}
	return nil
}

// create makes, wraps and stores a data key for each owner that has none yet, in one commit
// of the key store, and returns every owner's key (an existing one is kept: a conversion
// run again after it stopped finds the keys it had made).
func (v *vault) create(ctx context.Context, owners []string) (map[string]*keys.DataKey, error) {
	type row struct {
		owner, kek   string
		raw, wrapped []byte
		inserted     bool
	}
	rows := make([]row, len(owners))
	for i, o := range owners {
		raw, err := keys.NewDataKey()
		if err != nil {
			return nil, err
		}
		kek, wrapped, err := v.ring.Wrap(ctx, raw)
		if err != nil {
			return nil, err
		}
		rows[i] = row{owner: o, kek: kek, raw: raw, wrapped: wrapped}
	}
	now := micros(v.keys.now())
	err := v.keys.write(ctx, func(tx *sql.Tx) error {
		for i := range rows {
			r := &rows[i]
			res, err := tx.ExecContext(ctx, `INSERT INTO data_keys (owner, kek, wrapped, created_at)
				VALUES ($1, $2, $3, $4) ON CONFLICT (owner) DO NOTHING`, r.owner, r.kek, r.wrapped, now)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			r.inserted = n == 1
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("key store: %w", err)
	}
	out := make(map[string]*keys.DataKey, len(owners))
	for _, r := range rows {
		if !r.inserted {
			if out[r.owner], err = v.key(ctx, r.owner); err != nil {
				return nil, err
			}
			continue
		}
		if out[r.owner], err = keys.NewDataKeyFrom(r.raw); err != nil {
			return nil, err
		}
		v.cache.Put(r.owner, out[r.owner])
	}
	return out, nil
}

// DestroyDataKey deletes the profile's data key from the key store, durably, and forgets
// it here: every sealed value of the profile, in this database and in every backup of it,
// no longer opens (crypto-shredding). Other instances forget it when their cache entry
// expires (keyCacheTTL). Erasure calls it after it has written its tombstone.
func (db *DB) DestroyDataKey(ctx context.Context, profileID string) error {
	if db.vault == nil {
		return ErrNoKEK
	}
	if profileID == lookupOwner || profileID == serviceOwner {
		return errors.New("store: not a profile id")
	}
	v := db.vault
	v.cache.Drop(profileID)
	err := v.keys.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM data_keys WHERE owner = $1`, profileID)
		return err
	})
	v.cache.Drop(profileID) // a read between the first drop and the delete may have cached it
	return storeError("destroy data key", err)
}
