package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/openkyc/kyc"
)

const apiKeyHeader = "X-XFERS-APP-API-KEY"

type accountKey struct{}

// authenticate lets a request through only with a valid API key, and puts the key's account
// in the context. Every answer on a failure is a 401 STXE-1000 in the errors[] shape, and
// counts against the client's address: past its budget of failures, the address gets 429
// before its key is looked at (authThrottled).
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.authThrottled(w, r) {
			return
		}
		key := r.Header.Get(apiKeyHeader)
		if key == "" {
			s.authFailed(r)
			s.writeError(w, r, kyc.ErrMissingAPIKey.New())
			return
		}
		acct, err := s.db.FindAccountByAPIKey(r.Context(), key)
		if err != nil {
			if errors.Is(err, kyc.ErrInvalidAPIKey) {
				s.authFailed(r)
			}
			s.writeError(w, r, err)
			return
		}
		infoFrom(r.Context()).accountID = acct.ID
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), accountKey{}, acct)))
	})
}

// accountFrom is the authenticated account of a request that went through authenticate.
func accountFrom(r *http.Request) *kyc.Account {
	return r.Context().Value(accountKey{}).(*kyc.Account)
}
