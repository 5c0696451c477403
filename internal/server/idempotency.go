package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// Idempotency keys, as in draft-ietf-httpapi-idempotency-key-header: a POST, PUT or PATCH
// that carries an Idempotency-Key is done once per account and key; its retries get its
// answer again, marked Idempotent-Replayed. The store keeps the keys (see
// store.ClaimIdempotencyKey for how a key and its work commit together).
const (
	// DefaultIdempotencyTTL is how long a key is kept after its first use.
	DefaultIdempotencyTTL = 24 * time.Hour
	// MinIdempotencyTTL keeps a key well beyond its request's lease.
	MinIdempotencyTTL = 10 * time.Minute

	// idempotencyLease is how long a request in flight holds its key: a retry within it is
	// refused with 409, and after it may run again if the holder died before doing any
	// work. It outlasts a request's life (HTTPServer's timeouts, the store's batchTimeout).
	idempotencyLease = 2 * time.Minute

	// maxKeptResponse bounds an answer kept for a key. A larger one is sent but not kept.
	maxKeptResponse = 1 << 20

	// finishTimeout bounds keeping an answer, which goes on if the client hangs up.
	finishTimeout = 10 * time.Second
)

// idempotent runs a POST, PUT or PATCH with an Idempotency-Key once per key: it claims the
// key before the handler runs, replays the kept answer to a retry, and keeps the handler's
// answer before sending it. It runs inside verifySignatures, so that a signed request's
// nonce is used up by the claim's commit, replay or not.
//
// action is the route's audited action, if any (see audited): a replay discloses what the
// first answer did, so it is recorded too.
func (s *Server) idempotent(action string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values := r.Header.Values(kyc.IdempotencyKeyHeader)
		if len(values) == 0 || !changes(r.Method) {
			next.ServeHTTP(w, r)
			return
		}
		claim, err := s.claimKey(w, r, values)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if claim.Replay != nil {
			s.metrics.IdempotentReplays.Inc()
			s.replayer(action, claim.Replay).ServeHTTP(w, r)
			return
		}
		rec := &recorder{w: w, header: http.Header{}}
		defer s.finish(r, claim, rec)
		next.ServeHTTP(rec, r.WithContext(store.WithClaim(r.Context(), claim)))
	})
}

func changes(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch
}

// claimKey reads the key and the body, and claims the key for the request's fingerprint.
// The handler reads the same body bytes afterwards.
func (s *Server) claimKey(w http.ResponseWriter, r *http.Request, values []string) (*store.Claim, error) {
	key, err := kyc.ParseIdempotencyKey(values)
	if err != nil {
		return nil, err
	}
	body, err := readRawBody(w, r)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return s.db.ClaimIdempotencyKey(r.Context(), store.IdempotencyRequest{
		AccountID: accountFrom(r).ID, Key: key, Fingerprint: fingerprint(r, body),
		TTL: s.idemTTL, Lease: idempotencyLease,
	})
}

// fingerprint identifies what a request asks: method, target as sent, and body bytes.
func fingerprint(r *http.Request, body []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(r.Method + " " + r.URL.RequestURI() + "\n"))
	h.Write(body)
	return [32]byte(h.Sum(nil))
}

// replayer sends a kept answer again; on an audited route, only once the replay's audit
// record, with the first answer's outcome and the profile it names, is durable.
func (s *Server) replayer(action string, kept *store.Response) http.Handler {
	send := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { replay(w, kept) })
	if action == "" || s.noAudit {
		return send
	}
	return s.audited(action, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var outcome error
		if kept.Status >= 400 {
			outcome = kyc.ParseError(kept.Status, kept.Body)
		}
		var doc struct {
			Data struct{ ID string } `json:"data"`
		}
		if json.Unmarshal(kept.Body, &doc) == nil && doc.Data.ID != "" {
			store.AuditTarget(r.Context(), doc.Data.ID)
		}
		if err := s.db.FinishAudit(r.Context(), store.AuditOutcome(outcome)); err != nil {
			s.writeError(w, r, err)
			return
		}
		send(w, r)
	}))
}

// replay sends a kept answer again, with the header that says so.
func replay(w http.ResponseWriter, r *store.Response) {
	for k, v := range r.Header {
		w.Header()[k] = v
	}
	w.Header().Set(kyc.IdempotentReplayedHeader, "true")
	w.WriteHeader(r.Status)
	_, _ = w.Write(r.Body) // the client hung up; nothing left to tell it
}

// finish keeps the handler's answer for the key, then sends it. An answer that is not the
// server's decision on the request (a 5xx, a 429 or 408) is not kept, nor one over
// maxKeptResponse: the key is then released, or marked lost if work was done. A handler
// that panicked keeps nothing; the panic goes on to recoverPanics.
func (s *Server) finish(r *http.Request, claim *store.Claim, rec *recorder) {
	p := recover()
	var kept *store.Response
	if p == nil && !rec.passedOn && final(rec.status()) {
		kept = &store.Response{Status: rec.status(), Header: rec.header, Body: rec.body.Bytes()}
	}
	timeout := finishTimeout
	if kept == nil && p == nil {
		// Nothing to keep (a 503 after --db-timeout, say): the answer need not wait for the
		// key's release, which may wait on the same busy database. A retry in between gets
		// 409 with Retry-After; a release that fails leaves the key to its lease.
		rec.passOn()
		timeout = s.dbTimeout
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), timeout)
	defer cancel()
	if err := s.db.FinishIdempotencyKey(ctx, claim, kept); err != nil {
		// The client still gets the true answer; a retry will find the key lost or in flight.
		s.log.WarnContext(r.Context(), "idempotency key not finished",
			"request_id", infoFrom(r.Context()).id, "route", infoFrom(r.Context()).route, "err", err)
	}
	if p != nil {
		panic(p)
	}
	rec.passOn()
}

// final reports whether an answer is the server's decision on the request, to be replayed.
func final(status int) bool {
	return status < 500 && status != http.StatusTooManyRequests && status != http.StatusRequestTimeout
}

// recorder holds the handler's answer until it is kept. An answer over maxKeptResponse is
// passed on as it comes instead, and not kept.
type recorder struct {
	w        http.ResponseWriter
	header   http.Header
	code     int
	body     bytes.Buffer
	passedOn bool
}

func (rec *recorder) Header() http.Header { return rec.header }

func (rec *recorder) WriteHeader(code int) {
	if rec.code == 0 {
		rec.code = code
	}
}

func (rec *recorder) Write(b []byte) (int, error) {
	rec.WriteHeader(http.StatusOK)
	if rec.passedOn {
		return rec.w.Write(b)
	}
	if rec.body.Len()+len(b) > maxKeptResponse {
		rec.passOn()
		return rec.w.Write(b)
	}
	return rec.body.Write(b)
}

func (rec *recorder) status() int {
	if rec.code == 0 {
		return http.StatusOK
	}
	return rec.code
}

// passOn sends what the handler wrote so far; later writes go straight through.
func (rec *recorder) passOn() {
	if rec.passedOn {
		return
	}
	rec.passedOn = true
	for k, v := range rec.header {
		rec.w.Header()[k] = v
	}
	rec.w.WriteHeader(rec.status())
	_, _ = rec.w.Write(rec.body.Bytes())
}

// Unwrap lets http.ResponseController reach the connection.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.w }
