//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/openkyc/kyc/internal/store"
)

// lockSQLite takes an exclusive lock on the SQLite file's companion FILE.lock for as long as
// serve runs, so that a second serve on the same file refuses to start. SQLite would let
// both run, each with its own nonce purge and webhook worker, which are meant for one
// process per file (several instances share a PostgreSQL database instead). The kernel drops
// the lock when the process ends, however it ends, so a crash leaves no stale lock.
// The administration commands do not take it: they run beside a serve.
func lockSQLite(dsn string) (unlock func(), err error) {
	path, ok := store.SQLiteFile(dsn)
	if !ok {
		return func() {}, nil
	}
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another kyc serve is using %s (it holds %s.lock): stop it, or give this one another --db", path, path)
		}
		return nil, fmt.Errorf("lock %s.lock: %w", path, err)
	}
	return func() { f.Close() }, nil
}
