package server

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"net/http"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/httpsig"
	"github.com/openkyc/kyc/internal/store"
)

// DefaultSignatureWindow is how far a request's X-TIMESTAMP may be from the server's clock,
// either way, as published.
const DefaultSignatureWindow = 300 * time.Second

// minNonceRetention is the published span a nonce must be remembered for at the default
// window: a timestamp up to 300 s ahead stays acceptable for 600 s.
const minNonceRetention = 600 * time.Second

// verifySignatures enforces request signing. It runs after authenticate, so the account is
// known. With the account's signing off, a request without signature headers passes
// untouched; a request that carries any of them is verified all the same, so that a bad
// signature never passes. The checks run in the order of DESIGN.md: headers present,
// formats, key, timestamp window, signature, nonce. The nonce is used last, so that a
// forged request cannot burn a genuine client's nonce.
//
// The nonce is recorded in the same commit as the request's work: the request's context
// carries it (store.WithNonce) to its first write transaction, which records it first and
// keeps it even if the work fails, or refuses the work if the nonce was used before. A
// request that writes nothing, or fails before writing, records it just before its answer
// (see nonceGate). Either way no answer leaves before the nonce is durable, and a replay
// gets XFE-replay instead of the handler's answer.
func (s *Server) verifySignatures(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := s.verifyRequest(w, r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if body == nil {
			next.ServeHTTP(w, r)
			return
		}
		// The handler reads the very bytes that were verified, and cannot read twice.
		r.Body = io.NopCloser(bytes.NewReader(body))
		ctx, nonce := store.WithNonce(r.Context(), accountFrom(r).ID, r.Header.Get(httpsig.HeaderNonce),
			s.nonceExpiry(r.Header.Get(httpsig.HeaderTimestamp)))
		r = r.WithContext(ctx)
		g := &nonceGate{ResponseWriter: w, s: s, r: r, nonce: nonce, header: w.Header().Clone()}
		next.ServeHTTP(g, r)
		g.settle() // a handler that wrote nothing gets net/http's empty 200, after the nonce
	})
}

// verifyRequest returns the body it read to verify the signature, or nil when the request
// needed no verification.
func (s *Server) verifyRequest(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	acct := accountFrom(r)
	if !acct.SigningEnabled && !carriesSignature(r) {
		return nil, nil
	}
	if err := checkHeaders(r); err != nil {
		return nil, err
	}
	key, err := s.findKey(r, acct.ID)
	if err != nil {
		return nil, err
	}
	if err := s.checkWindow(r.Header.Get(httpsig.HeaderTimestamp)); err != nil {
		return nil, err
	}
	body, err := readRawBody(w, r)
	if err != nil {
		return nil, err
	}
	if httpsig.Verify(key.Key, httpsig.FromRequest(r, body), r.Header.Get(httpsig.HeaderSignature)) != nil {
		return nil, kyc.ErrBadSignature.New()
	}
	return body, nil
}

func carriesSignature(r *http.Request) bool {
	for _, h := range httpsig.Headers {
		if r.Header.Get(h) != "" {
			return true
		}
	}
	return false
}

// checkHeaders checks that the signing headers are all there and well formed. A missing
// key id has a message of its own in the published table.
func checkHeaders(r *http.Request) error {
	if r.Header.Get(httpsig.HeaderKeyID) == "" {
		return kyc.ErrMissingKeyID.New()
	}
	for _, h := range httpsig.Headers {
		if r.Header.Get(h) == "" {
			return kyc.ErrMissingSignatureHeaders.New()
		}
	}
	if !httpsig.ValidNonce(r.Header.Get(httpsig.HeaderNonce)) {
		return kyc.ErrNonceFormat.New()
	}
	if _, ok := httpsig.ParseTimestamp(r.Header.Get(httpsig.HeaderTimestamp)); !ok {
		return kyc.ErrTimestampFormat.New()
	}
	return nil
}

// findKey returns the request's public key if it belongs to the account and is enabled.
func (s *Server) findKey(r *http.Request, accountID string) (*kyc.PublicKey, error) {
	key, err := s.db.FindPublicKeyByID(r.Context(), r.Header.Get(httpsig.HeaderKeyID))
	if errors.Is(err, kyc.ErrPublicKeyNotFound) {
		return nil, kyc.ErrSigningKeyNotFound.New()
	}
	switch {
	case err != nil:
		return nil, err
	case key.AccountID != accountID:
		return nil, kyc.ErrKeyOwnership.New()
	case !key.Enabled:
		return nil, kyc.ErrKeyInactive.New()
	}
	return key, nil
}

// checkWindow refuses a timestamp more than the window away from the server's clock.
func (s *Server) checkWindow(header string) error {
	ts, _ := httpsig.ParseTimestamp(header) // checkHeaders checked it
	skew := s.now().Unix() - ts
	if skew < 0 {
		skew = -skew
	}
	if skew > int64(s.window/time.Second) {
		return kyc.TimestampExpired(s.window)
	}
	return nil
}

// nonceGate holds a signed request's answer until its nonce is durable: at the answer's
// first byte, it records the nonce if the request's writes have not (store.DB.UseNonce,
// group-committed with other requests' writes), and answers a replay with XFE-replay in
// place of whatever the handler wrote.
type nonceGate struct {
	http.ResponseWriter
	s       *Server
	r       *http.Request
	nonce   *store.Nonce
	header  http.Header // the headers before the handler ran, for a replaced answer
	settled bool
	refused bool // the handler's answer is dropped
}

func (g *nonceGate) settle() {
	if g.settled {
		return
	}
	g.settled = true
	err := g.s.db.UseNonce(g.r.Context())
	if err == nil {
		return
	}
	if errors.Is(err, store.ErrNonceUsed) {
		err = kyc.ErrReplay.New()
	}
	g.refused = true
	h := g.ResponseWriter.Header()
	clear(h)
	maps.Copy(h, g.header)
	g.s.writeError(g.ResponseWriter, g.r, err)
}

func (g *nonceGate) WriteHeader(code int) {
	g.settle()
	if !g.refused {
		g.ResponseWriter.WriteHeader(code)
	}
}

func (g *nonceGate) Write(b []byte) (int, error) {
	g.settle()
	if g.refused {
		return len(b), nil
	}
	return g.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (g *nonceGate) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// nonceExpiry is when the nonce of a request with this (verified) X-TIMESTAMP may be
// forgotten: once the timestamp itself has left the window, so that the request cannot be
// replayed, however far ahead of the clock it was signed; and never less than the
// published 600 s after it was seen. checkWindow accepts a timestamp ts while the clock's
// whole seconds are at most the window's whole seconds past it, that is until
// ts + window + 1 s.
func (s *Server) nonceExpiry(header string) time.Time {
	ts, _ := httpsig.ParseTimestamp(header)
	lastAccepted := time.Unix(ts, 0).Add(s.window.Truncate(time.Second) + time.Second)
	if soonest := s.now().Add(minNonceRetention); soonest.After(lastAccepted) {
		return soonest
	}
	return lastAccepted
}
