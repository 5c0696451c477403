package store

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
)

// ErrNoDatabase is returned by OpenWith with Options.MustExist when the SQLite file is
// missing: a command that only reads or administers a database must not create an empty
// one (run from the wrong directory, it would, and then report "account not found").
var ErrNoDatabase = errors.New("no database")

// Location names the database of dsn for logs and messages, never with a credential: the
// SQLite file's absolute path, or the PostgreSQL URL without its password and parameters
// (a password may also hide in the query, as ?password=).
func Location(dsn string) string {
	if isPostgres(dsn) {
		u, err := url.Parse(dsn)
		if err != nil {
			return "postgres (an unreadable URL)"
		}
		if u.User != nil {
			u.User = url.User(u.User.Username())
		}
		u.RawQuery, u.Fragment = "", ""
		return u.String()
	}
	if path, ok := SQLiteFile(dsn); ok {
		return path
	}
	return dsn
}

// SQLiteFile returns the absolute path of dsn's SQLite file; ok is false for PostgreSQL or
// a dsn that names no file.
func SQLiteFile(dsn string) (path string, ok bool) {
	if isPostgres(dsn) {
		return "", false
	}
	p, err := sqlitePath(dsn)
	if err != nil {
		return "", false
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return p, true
}

// prepareSQLiteFile makes sure path exists before SQLite opens it: missing, it is refused
// with mustExist, or else created empty with mode 0600. SQLite would create it 0644, readable
// by every user of the machine, and it holds personal data; its -wal and -shm files take
// the database file's mode, so they are 0600 too.
func prepareSQLiteFile(path string, mustExist bool) error {
	_, err := os.Stat(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if mustExist {
		abs, _ := filepath.Abs(path)
		return fmt.Errorf("store: %w at %s", ErrNoDatabase, abs)
	}
	return createPrivate(path)
}

// createPrivate creates an empty file readable and writable by its owner only (0600); an
// existing file is left as it is.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	return f.Close()
}
