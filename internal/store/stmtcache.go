package store

import (
	"context"
	"database/sql/driver"
	"errors"

	"modernc.org/sqlite"
)

// SQLite statements are prepared once per connection and kept: modernc.org/sqlite would
// otherwise compile every statement's SQL again on every call, which was a sixth of the
// CPU of a create. (pgx does the same for PostgreSQL by itself: its default mode prepares
// each statement once per connection and caches it.)
//
// database/sql prepares, runs and closes a statement whenever the driver's connection
// cannot run SQL text directly; these wrappers hide that ability from it and keep each
// prepared statement open for the next call with the same text.

// maxCachedStmts bounds the statements kept per connection; the store has a few dozen.
const maxCachedStmts = 256

// sqliteConnector opens modernc.org/sqlite connections that cache their statements.
type sqliteConnector struct{ dsn string }

func (c sqliteConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.Driver().Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{conn: conn, stmts: map[string]*cachedStmt{}}, nil
}

func (sqliteConnector) Driver() driver.Driver { return &sqlite.Driver{} }

// cachingConn is a connection with its statement cache. database/sql uses a connection
// from one goroutine at a time, so the cache needs no lock.
type cachingConn struct {
	conn  driver.Conn
	stmts map[string]*cachedStmt
}

func (c *cachingConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext returns the cached statement for query, unless it is in use (rows of it
// are still being read): then a statement of its own, closed after use.
func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if s := c.stmts[query]; s != nil && !s.busy {
		s.busy = true
		return s, nil
	}
	st, err := c.conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil || c.stmts[query] != nil || len(c.stmts) >= maxCachedStmts {
		return st, err
	}
	s := &cachedStmt{Stmt: st, busy: true}
	c.stmts[query] = s
	return s, nil
}

func (c *cachingConn) Close() error {
	var errs []error
	for _, s := range c.stmts {
		errs = append(errs, s.Stmt.Close())
	}
	return errors.Join(append(errs, c.conn.Close())...)
}

func (c *cachingConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *cachingConn) Ping(ctx context.Context) error { return c.conn.(driver.Pinger).Ping(ctx) }

func (c *cachingConn) ResetSession(ctx context.Context) error {
	return c.conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *cachingConn) IsValid() bool { return c.conn.(driver.Validator).IsValid() }

// cachedStmt is a kept statement: Close makes it free for the next call, the connection's
// Close finalizes it.
type cachedStmt struct {
	driver.Stmt
	busy bool
}

func (s *cachedStmt) Close() error {
	s.busy = false
	return nil
}

func (s *cachedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s *cachedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}
