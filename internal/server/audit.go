package server

import (
	"net/http"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// pathIDs are the path parameters that name records, profile ids first: the targets of an
// audited action, besides those its handler or the store adds (a new profile's id, the ids
// a list returned).
var pathIDs = []string{"id", "cp_id", "customer_profile_id", "rfi_id", "unique_id", "triggerable_id"}

// audited starts the audit record of an action that reads or changes personal data: the
// request's account and API key, its request id and the ids in its path. The first write
// of the request appends it in its own transaction; json's adapter appends it otherwise,
// with the outcome, before the answer is sent (see finishAudit).
func (s *Server) audited(action string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acct := accountFrom(r)
		actor := kyc.AuditActor{Type: kyc.AuditByAccount, ID: acct.ID, APIKeyID: acct.KeyID}
		a := store.NewAudit(actor, action, infoFrom(r.Context()).id)
		for _, name := range pathIDs {
			a.Target(r.PathValue(name))
		}
		next.ServeHTTP(w, r.WithContext(store.WithAudit(r.Context(), a)))
	})
}

// finishAudit makes the request's audit record durable, if it has one that no write
// appended yet, with the outcome of err. An answer whose record could not be written is
// not sent: the caller gets the error instead.
func (s *Server) finishAudit(r *http.Request, err error) error {
	aerr := s.db.FinishAudit(r.Context(), store.AuditOutcome(err))
	if err != nil {
		return err
	}
	return aerr
}
