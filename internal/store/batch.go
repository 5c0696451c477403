package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openkyc/kyc"
)

// Group commit. Every write transaction of the store (db.write) is a job for the DB's
// committers: each takes whatever jobs are waiting (up to maxBatch), runs them one after the
// other in one transaction, each inside a savepoint of its own, and commits once: one
// commit, one fsync for the batch. A job is answered only after the commit that holds its
// work returned, so an acknowledged write is as durable as before. A job that fails is
// rolled back to its savepoint and fails alone; the others commit. Nothing waits to fill a
// batch: a batch is what queued up while the previous one committed, so a lone write costs
// what it did, and under load the fsyncs are shared.
//
// SQLite has one committer (it has one writer anyway). PostgreSQL has two, so that one
// batch runs its statements while the other waits for its commit.

// maxBatch bounds the jobs of one transaction, and so the time each waits for the others.
// On PostgreSQL every savepoint that writes is a subtransaction, and more than 64 in one
// transaction overflow the cache that other sessions' snapshots consult (PGPROC_MAX_CACHED_SUBXIDS):
// a signed job has two, so PostgreSQL batches hold at most 32 jobs.
const (
	maxBatch   = 64
	maxBatchPG = 32
)

// batchTimeout bounds one batch transaction whose jobs have no deadline. Each job's
// statements are bounded by the job's own context too, and a batch whose jobs all have
// deadlines (a request's --db-timeout) gives up at the latest of them: see batchDeadline.
const batchTimeout = time.Minute

// errClosed answers writes that arrive after Close.
var errClosed = errors.New("store: database closed")

// errBroken is a batch transaction that a job's failure ended (SQLite rolls the whole
// transaction back on some errors, such as an interrupt): its jobs are run again, alone.
var errBroken = errors.New("store: batch transaction lost")

// writeJob is one call of db.write.
type writeJob struct {
	ctx      context.Context
	fn       func(tx *sql.Tx) error
	nonce    *Nonce
	claim    *Claim // the request's idempotency key, marked by fn's work (see WithClaim)
	attempts int
	done     chan error

	audit   *Audit           // the audit record its success appends (audit.go), or nil
	outcome string           // the outcome recorded; "" is kyc.AuditOK
	record  *kyc.AuditRecord // the record appended in the current batch

	err         error // the job's outcome in the current batch
	nonceAdded  bool  // its nonce was inserted in the current batch
	nonceReused bool  // its nonce was found used in the current batch
}

// committers is the group-commit machinery of one DB.
type committers struct {
	mu     sync.RWMutex // held for reading while a job is queued, for writing to close
	closed bool
	max    int // jobs per batch
	jobs   chan *writeJob
	wg     sync.WaitGroup
	// batches counts the batch transactions begun, for tests and figures.
	batches atomic.Int64
}

func (db *DB) startCommitters(n, max int) {
	db.batch = &committers{max: max, jobs: make(chan *writeJob, 4*maxBatch)}
	for range n {
		db.batch.wg.Go(db.commitLoop)
	}
}

// stopCommitters lets the committers finish every queued job, then stops them.
func (db *DB) stopCommitters() {
	c := db.batch
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.jobs)
	}
	c.mu.Unlock()
	c.wg.Wait()
}

// write runs fn in a write transaction, shared with other writes (see above), and returns
// once the transaction committed with fn's work, or fn's error after its work was undone.
// When ctx carries a signed request's nonce (WithNonce) that is not used up yet, the nonce
// is recorded in the same transaction, before fn runs and kept even if fn fails; a nonce
// used before fails the write with ErrNonceUsed and fn does not run.
//
// When ctx carries an idempotency key's claim (WithClaim), fn's transaction marks the key as
// worked before fn runs, and fails with kyc.ErrIdempotencyInFlight if the request no longer
// holds the key; the mark is undone with fn's work if fn fails.
//
// fn may run more than once: after a serialization failure or a deadlock on PostgreSQL
// (a bounded number of times), and when a batch is lost and its jobs run again alone. It
// must do nothing outside the transaction that cannot be repeated.
//
// SQLite serialises write transactions (BEGIN IMMEDIATE, busy_timeout). On PostgreSQL they
// run at READ COMMITTED, and each one that checks and then writes locks the rows its check
// depends on first (SELECT … FOR UPDATE, see lockAccount and findProfileForUpdate), so that
// concurrent transactions of any instance queue on those rows instead of both passing the
// check. Uniqueness is left to UNIQUE indexes, which hold across instances by themselves.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	j := &writeJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	if !db.keyStore { // a request's nonce, idempotency claim and audit record are the data's, never the key store's
		j.nonce, j.claim, j.audit = nonceFrom(ctx), claimFrom(ctx), auditFrom(ctx)
	}
	return db.runWrite(j)
}

// runWrite queues the job and waits for its outcome.
func (db *DB) runWrite(j *writeJob) error {
	if j.nonce != nil && j.nonce.replayed {
		return ErrNonceUsed
	}
	if err := j.ctx.Err(); err != nil {
		return err // its caller gave up: queue nothing that no one waits for
	}
	if c, fn := j.claim, j.fn; c != nil {
		j.fn = func(tx *sql.Tx) error {
			if err := db.markWork(j.ctx, tx, c); err != nil {
				return err
			}
			return fn(tx)
		}
	}
	if err := db.queueJob(j); err != nil {
		return err
	}
	// Always wait: a job taken into a batch may commit even if ctx ends meanwhile.
	return <-j.done
}

func (db *DB) queueJob(j *writeJob) error {
	c := db.batch
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.closed {
		return errClosed
	}
	select {
	case c.jobs <- j:
		return nil
	case <-j.ctx.Done():
		return j.ctx.Err()
	}
}

func (db *DB) commitLoop() {
	batch := make([]*writeJob, 0, db.batch.max)
	for first := range db.batch.jobs {
		batch = append(batch[:0], first)
	fill:
		for len(batch) < db.batch.max {
			select {
			case j, ok := <-db.batch.jobs:
				if !ok {
					break fill
				}
				batch = append(batch, j)
			default:
				break fill
			}
		}
		db.runBatch(batch)
	}
}

// runBatch runs the jobs in one transaction and answers each.
func (db *DB) runBatch(batch []*writeJob) {
	live := batch[:0]
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.done <- err // its caller gave up before it ran: nothing was written
			continue
		}
		live = append(live, j)
	}
	if len(live) == 0 {
		return
	}
	err := db.commitBatch(live)
	for _, j := range live {
		switch {
		case errors.Is(err, errBroken):
			j.done <- db.runAlone(j)
		case err != nil:
			j.done <- err
		case db.dialect.isTransient(j.err):
			go db.retry(j)
		default:
			j.done <- j.err
		}
	}
}

// retry queues a job whose work PostgreSQL aborted (serialization failure, deadlock) again
// after a pause, a bounded number of times.
func (db *DB) retry(j *writeJob) {
	j.attempts++
	if j.attempts >= maxAttempts {
		j.done <- j.err
		return
	}
	if err := sleep(j.ctx, backoff(j.attempts)); err != nil {
		j.done <- err
		return
	}
	if err := db.queueJob(j); err != nil {
		j.done <- err
	}
}

// runAlone runs one job in a transaction of its own, again while PostgreSQL aborts it as a
// serialization failure or deadlock, a bounded number of times.
func (db *DB) runAlone(j *writeJob) error {
	for attempt := 1; ; attempt++ {
		err := db.commitBatch([]*writeJob{j})
		if err == nil {
			err = j.err
		}
		if !db.dialect.isTransient(err) || attempt >= maxAttempts {
			return err
		}
		if err := sleep(j.ctx, backoff(attempt)); err != nil {
			return err
		}
	}
}

// commitBatch runs the jobs in one transaction and commits it. It returns an error only
// when the transaction as a whole failed (nothing of it committed, or the commit's outcome
// is unknown); each job's own outcome is left in job.err.
func (db *DB) commitBatch(batch []*writeJob) error {
	// The transaction, the wait for its connection and for SQLite's write lock included, ends
	// once no job waits for it any more; database/sql then rolls it back. Its COMMIT, once
	// begun, is not cancelled: its outcome would be unknown.
	ctx, cancel := context.WithDeadline(context.Background(), batchDeadline(batch))
	defer cancel()
	db.batch.batches.Add(1)
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // a no-op after Commit
	alone := len(batch) == 1
	keep := false // whether the transaction holds anything to commit
	for _, j := range batch {
		j.err, j.nonceAdded, j.nonceReused = nil, false, false
		if err := db.runJob(ctx, tx, j, alone); err != nil {
			return err
		}
		keep = keep || j.err == nil || j.nonceAdded
	}
	if recs := db.auditRecords(batch); len(recs) > 0 {
		if err := db.appendChain(ctx, tx, recs); err != nil {
			return err
		}
	}
	if keep {
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	for _, j := range batch {
		if j.record != nil {
			j.audit.markWritten()
		}
		if j.nonce != nil {
			j.nonce.used = j.nonce.used || j.nonceAdded
			j.nonce.replayed = j.nonce.replayed || j.nonceReused
		}
		if j.claim != nil && j.err == nil {
			j.claim.worked = true
			if p := j.audit.profile(); p != "" && j.claim.profile == "" {
				j.claim.profile = p // the answer is about it (keepResponse)
			}
		}
	}
	return nil
}

// batchDeadline is the latest deadline of the batch's jobs, or batchTimeout from now if a
// job has none or it is later.
func batchDeadline(batch []*writeJob) time.Time {
	limit := time.Now().Add(batchTimeout)
	var latest time.Time
	for _, j := range batch {
		d, ok := j.ctx.Deadline()
		if !ok {
			return limit
		}
		if d.After(latest) {
			latest = d
		}
	}
	if latest.After(limit) {
		return limit
	}
	return latest
}

// runJob runs one job inside tx: its nonce first, then fn. In a shared transaction the
// job runs inside a savepoint, rolled back if the job fails, so that the others are kept;
// a nonce is kept even when fn fails, so fn runs in a savepoint of its own after it. It
// returns an error only when tx is lost (errBroken); the job's outcome is left in j.err.
func (db *DB) runJob(ctx context.Context, tx *sql.Tx, j *writeJob, alone bool) error {
	shared := !alone
	if shared {
		if err := exec(ctx, tx, "SAVEPOINT job"); err != nil {
			return err
		}
	}
	if n := j.nonce; n != nil && !n.used {
		added, err := insertNonce(ctx, tx, n, db.now())
		switch {
		case err != nil:
			j.err = err
			return undo(ctx, tx, shared, "job")
		case !added:
			j.err, j.nonceReused = ErrNonceUsed, true
			return release(ctx, tx, shared)
		}
		j.nonceAdded = true
		if err := exec(ctx, tx, "SAVEPOINT work"); err != nil {
			return err
		}
	}
	err := j.fn(tx)
	if err == nil {
		// Its caller gave up (its deadline passed) while it ran: undone like a failure, so
		// that a request answered 503 never has its work committed behind its back.
		err = j.ctx.Err()
	}
	if err != nil {
		j.err = err
		switch {
		case j.nonceAdded:
			err = undo(ctx, tx, true, "work")
		default:
			err = undo(ctx, tx, shared, "job")
		}
		if err != nil {
			return err
		}
	}
	return release(ctx, tx, shared)
}

// undo rolls tx back to the savepoint, if there is one.
func undo(ctx context.Context, tx *sql.Tx, savepoint bool, name string) error {
	if !savepoint {
		return nil // alone: the transaction is rolled back instead of committed
	}
	return exec(ctx, tx, "ROLLBACK TO SAVEPOINT "+name)
}

// release ends the job's savepoint (and the one of its work within), keeping its changes.
func release(ctx context.Context, tx *sql.Tx, savepoint bool) error {
	if !savepoint {
		return nil
	}
	return exec(ctx, tx, "RELEASE SAVEPOINT job")
}

// exec runs one of the batch's own statements. Its failure means the transaction is lost:
// SQLite rolled it back by itself, or the connection broke.
func exec(ctx context.Context, tx *sql.Tx, stmt string) error {
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("%w: %s: %w", errBroken, stmt, err)
	}
	return nil
}
