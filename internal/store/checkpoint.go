package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// Checkpoints of a SQLite database. In WAL mode every commit appends the pages it changed
// to the -wal file, and a checkpoint copies them back into the database file. SQLite's own
// (wal_autocheckpoint, every 1,000 pages) runs inside the commit that crosses the mark: that
// batch, and every write queued behind it, waits while the pages are copied and the database
// file is fsynced. Instead, a goroutine of the DB checkpoints every checkpointEvery on a
// pooled connection: the committer goes on meanwhile (a PASSIVE checkpoint takes no writer
// lock). SQLite's own checkpoint stays as a backstop at walBackstop pages. Under sustained
// writes it is the backstop that lets the WAL start over: SQLite reuses the log from its
// start only once every frame in it was copied, and a checkpoint beside the commits never
// finds it so. The commit that crosses the backstop then copies only the frames the
// goroutine had not yet copied (what the last interval wrote), and the log starts over.
// The -wal file therefore grows to about walBackstop pages and stays that size while the DB
// is open.
//
// Measured with kyc bench's load on one CPU: gets (each of which commits an audit record)
// went from about 3,100 to 3,700 a second, and the p99 of creates at 800 a second from
// about 44 to 32 ms. A longer interval did worse: at 500 ms each checkpoint copied thousands
// of pages in one go, on the CPU the requests need, and the p99 of creates rose to 47-85 ms.
const (
	checkpointEvery = 100 * time.Millisecond
	walBackstop     = 16384 // pages: 64 MiB of WAL at 4 KiB pages
	// checkpointTimeout bounds one checkpoint (a PASSIVE one is interrupted, never harmful).
	checkpointTimeout = 30 * time.Second
)

// checkpointer is the goroutine that checkpoints a SQLite DB.
type checkpointer struct {
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once // Close may run more than once
}

func (db *DB) startCheckpoints() {
	c := &checkpointer{stop: make(chan struct{}), done: make(chan struct{})}
	db.checkpoints = c
	go func() {
		defer close(c.done)
		tick := time.NewTicker(checkpointEvery)
		defer tick.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-tick.C:
				// A checkpoint that fails (the disk is full, say) leaves the pages in the
				// WAL, where readers find them: nothing is lost, and the next tick or the
				// backstop copies them.
				_, _ = walCheckpoint(context.Background(), db.sql, "PASSIVE")
			}
		}
	}()
}

// stopCheckpoints ends the goroutine, if there is one; closing the last connection then
// checkpoints whatever remains.
func (db *DB) stopCheckpoints() {
	if c := db.checkpoints; c != nil {
		c.stopOnce.Do(func() { close(c.stop) })
		<-c.done
	}
}

// walCheckpoint runs one checkpoint of the given mode and reports whether another
// checkpoint, of this process or another, kept it from running: SQLite then does nothing and
// says so in its answer's row, not as an error.
func walCheckpoint(ctx context.Context, pool *sql.DB, mode string) (busy bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, checkpointTimeout)
	defer cancel()
	var b, frames, copied int64
	if err := pool.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&b, &frames, &copied); err != nil {
		return false, fmt.Errorf("checkpoint: %w", err)
	}
	return b != 0, nil
}
