package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/openkyc/kyc/internal/store"
)

// DefaultDBTimeout bounds a request's database work when Config says nothing.
const DefaultDBTimeout = 5 * time.Second

// errDBTimeout ends a request's context once its database work took longer than DBTimeout.
var errDBTimeout = errors.New("server: database work took longer than --db-timeout")

// boundDB gives the request its database deadline, DBTimeout from its arrival: every
// statement, the wait for a pooled connection and the wait in the group commit's queue end
// with it, the statement running is cancelled (SQLite interrupted, PostgreSQL sent a cancel
// request) and the work undone; the client gets 503 STXE-9100 with Retry-After
// (writeError) instead of waiting on a lock that someone else holds.
func (s *Server) boundDB(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeoutCause(r.Context(), s.dbTimeout, errDBTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// timedOut reports whether err is the end of the request's database work for want of time:
// its deadline passed (whatever error the driver made of it: a context error, SQLite's
// interrupt, PostgreSQL's cancelled statement), a deadline of the store's own did (a group
// commit's batch ends at its jobs' deadline, which its timer may reach before the
// request's), or the database gave up waiting on a lock.
func timedOut(r *http.Request, err error) bool {
	return errors.Is(context.Cause(r.Context()), errDBTimeout) || errors.Is(err, context.DeadlineExceeded) ||
		store.Busy(err)
}
