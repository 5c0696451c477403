package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// apiFunc is the shape of every API handler: it returns the value to send with 200, or an
// error. The adapter below does the encoding and the error mapping, in one place.
// The ResponseWriter is there only for http.MaxBytesReader; handlers never write to it.
type apiFunc func(w http.ResponseWriter, r *http.Request) (any, error)

func (s *Server) json(h apiFunc) http.Handler { return s.jsonStatus(http.StatusOK, h) }

// jsonStatus is json for a route whose success is published with another status (202).
func (s *Server) jsonStatus(status int, h apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := h(w, r)
		if err = s.finishAudit(r, err); err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, status, v)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	// Errors: the client hung up; nothing left to tell it.
	if b, ok := v.(encoded); ok {
		_, _ = w.Write(b)
		return
	}
	_ = json.NewEncoder(w).Encode(v)
}

// encoded is a body a handler wrote as json.Encoder would, newline included (a profile's
// document, kyc.AppendDocument): writeJSON sends it as it is.
type encoded []byte

// retryUnavailable is the Retry-After of a 503: the server is overloaded or its database
// slow or away, which a few seconds may change; a client that retries at once only adds to it.
const retryUnavailable = "2"

// retryInFlight is the Retry-After of a 409 for an Idempotency-Key whose first request is
// still being served: most take milliseconds, none more than --db-timeout's work.
const retryInFlight = "1"

// writeError sends a *kyc.Error as it is. A database that cannot be reached, is too slow
// (--db-timeout) or refuses to write (a full disk, read-only) is a 503 STXE-9100 that tells
// the caller to retry: it is no fault of the request, and it ends when the database returns
// (the pool opens new connections on demand); the last also makes /readyz answer 503 until
// a write succeeds again. Any other error is a failure inside the server: its text goes to
// the log (it may name files, SQL or drivers) and the caller gets XFE3.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNonceUsed) { // a signed request's write found its nonce used
		err = kyc.ErrReplay.New()
	}
	e := kyc.AsError(err)
	if e == nil {
		e = s.serverFault(r, err)
	}
	switch {
	case e.Code == kyc.CodeUnavailable:
		w.Header().Set("Retry-After", retryUnavailable)
	case errors.Is(e, kyc.ErrIdempotencyInFlight):
		w.Header().Set("Retry-After", retryInFlight)
	}
	writeJSON(w, e.Status, e)
}

// serverFault logs an error that is no *kyc.Error, with its text, and returns what the
// caller is told: 503 when the database is slow, refuses writes or is away, else XFE3.
func (s *Server) serverFault(r *http.Request, err error) *kyc.Error {
	msg, level, kind := "internal error", slog.LevelError, kyc.ErrInternal
	switch {
	case timedOut(r, err):
		msg, level, kind = "database timeout", slog.LevelWarn, kyc.ErrUnavailable
	case store.CannotWrite(err):
		s.writesFail.Store(true) // not ready until a write succeeds again (ProbeWrites)
		msg, level, kind = "the database refuses writes", slog.LevelWarn, kyc.ErrUnavailable
	case store.Unreachable(err):
		msg, level, kind = "database unreachable", slog.LevelWarn, kyc.ErrUnavailable
	}
	info := infoFrom(r.Context())
	s.log.Log(r.Context(), level, msg, "request_id", info.id, "route", info.route, "err", err)
	return kind.New()
}
