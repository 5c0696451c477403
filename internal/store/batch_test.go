package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// job is a write job as db.write makes it, for running batches by hand.
func job(ctx context.Context, fn func(tx *sql.Tx) error) *writeJob {
	return &writeJob{ctx: ctx, fn: fn, nonce: nonceFrom(ctx), done: make(chan error, 1)}
}

func insertAccountFn(ctx context.Context, id, name string) func(tx *sql.Tx) error {
	return func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, 0)`, id, name)
		return err
	}
}

func accountExists(t *testing.T, db *DB, id string) bool {
	t.Helper()
	_, err := db.FindAccountByID(t.Context(), id)
	return err == nil
}

// A job that fails in a shared transaction fails alone: the jobs before and after it in the
// batch commit. On PostgreSQL the failure aborts the transaction until its savepoint is
// rolled back, so this also proves the savepoints work there.
func TestBatchFailureIsIsolated(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		taken := newAccount(t, db, "taken")
		jobs := []*writeJob{
			job(ctx, insertAccountFn(ctx, "account_a", "a")),
			job(ctx, func(tx *sql.Tx) error { // a write, then a UNIQUE name: both undone
				if err := insertAccountFn(ctx, "account_partial", "partial")(tx); err != nil {
					return err
				}
				return insertAccountFn(ctx, "account_dup", taken.Name)(tx)
			}),
			job(ctx, insertAccountFn(ctx, "account_c", "c")),
		}
		db.runBatch(jobs)
		if err := <-jobs[1].done; !db.dialect.isUnique(err) {
			t.Errorf("the duplicate's outcome: %v, want a unique violation", err)
		}
		for _, j := range []*writeJob{jobs[0], jobs[2]} {
			if err := <-j.done; err != nil {
				t.Errorf("a job beside the failing one failed: %v", err)
			}
		}
		if !accountExists(t, db, "account_a") || !accountExists(t, db, "account_c") || accountExists(t, db, "account_partial") {
			t.Error("want a and c committed and nothing of the failing job")
		}
	})
}

// A job that ends the shared transaction itself (as SQLite does on an interrupt) loses the
// batch; the other jobs are run again alone and commit.
func TestBrokenBatchRunsJobsAlone(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		killer := func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `ROLLBACK`); err != nil {
				return err
			}
			return errors.New("rolled back")
		}
		jobs := []*writeJob{
			job(ctx, insertAccountFn(ctx, "account_a", "a")),
			job(ctx, killer),
			job(ctx, insertAccountFn(ctx, "account_c", "c")),
		}
		db.runBatch(jobs)
		for _, j := range []*writeJob{jobs[0], jobs[2]} {
			if err := <-j.done; err != nil {
				t.Errorf("a job of the lost batch failed: %v", err)
			}
		}
		if err := <-jobs[1].done; err == nil {
			t.Error("the job that ended the transaction succeeded")
		}
		if !accountExists(t, db, "account_a") || !accountExists(t, db, "account_c") {
			t.Error("want a and c committed after the lost batch")
		}
	})
}

// A signed request's nonce commits with its work, is kept when the work fails, and refuses
// every later write of the same nonce without running it.
func TestNonceCommitsWithTheWork(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		a := newAccount(t, db, "a")
		const nonce = "550e8400-e29b-41d4-a716-446655440000"
		signed, n := WithNonce(ctx, a.ID, nonce, db.now().Add(time.Hour))
		if err := db.write(signed, insertAccountFn(ctx, "account_b", "b")); err != nil || !n.Used() {
			t.Fatalf("signed write: %v, nonce used %v", err, n.Used())
		}
		ran := false
		replay, _ := WithNonce(ctx, a.ID, nonce, db.now().Add(time.Hour))
		err := db.write(replay, func(*sql.Tx) error { ran = true; return nil })
		if !errors.Is(err, ErrNonceUsed) || ran {
			t.Fatalf("replayed write: %v, ran %v; want ErrNonceUsed without running", err, ran)
		}

		// The work fails; the nonce is used up all the same.
		const other = "650e8400-e29b-41d4-a716-446655440000"
		failing, n2 := WithNonce(ctx, a.ID, other, db.now().Add(time.Hour))
		if err := db.write(failing, insertAccountFn(ctx, "account_x", "b")); !db.dialect.isUnique(err) {
			t.Fatalf("failing work: %v, want its unique violation", err)
		}
		if !n2.Used() {
			t.Error("the failed work's nonce is not used")
		}
		if err := useNonce(ctx, db, a.ID, other); !errors.Is(err, ErrNonceUsed) {
			t.Errorf("the failed work's nonce again: %v, want ErrNonceUsed", err)
		}
	})
}

// Concurrent writes share commits: fewer transactions than writes, and every write that
// succeeded is there afterwards, the failing ones beside them included.
func TestConcurrentWritesShareCommits(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		newAccount(t, db, "taken")
		const writers = 64
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Go(func() {
				name := fmt.Sprint("w", i)
				if i%8 == 0 {
					name = "taken"
				}
				errs[i] = db.write(ctx, insertAccountFn(ctx, fmt.Sprint("account_", i), name))
			})
		}
		wg.Wait()
		for i, err := range errs {
			switch {
			case i%8 == 0 && !db.dialect.isUnique(err):
				t.Errorf("write %d: %v, want a unique violation", i, err)
			case i%8 != 0 && err != nil:
				t.Errorf("write %d: %v", i, err)
			case i%8 != 0 && !accountExists(t, db, fmt.Sprint("account_", i)):
				t.Errorf("write %d acknowledged but not found", i)
			}
		}
		if b := db.batch.batches.Load(); b >= writers {
			t.Errorf("%d transactions for %d concurrent writes: no batching", b, writers)
		}
	})
}
