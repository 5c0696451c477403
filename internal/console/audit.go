package console

import (
	"net/http"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// Every console action on a customer's data is in the audit log (store.Audit), as the API's
// and the command line's are: the actor is the signed-in reviewer, by id (a name is personal
// data, and two reviewers may share one); the targets are the ids in the path and, for the
// queue, the profiles listed. A change's record is written in the change's transaction; a
// page's record is made durable before the page is sent (render), and a failure is recorded
// with its error code.

// auditedPath are the path parameters that name records.
var auditedPath = []string{"id", "rfi", "hit"}

func (c *Console) audited(action string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		actor := kyc.AuditActor{Type: kyc.AuditByReviewer, ID: sessionFrom(r).Reviewer.ID}
		a := store.NewAudit(actor, action, w.Header().Get("X-Request-Id"))
		for _, name := range auditedPath {
			a.Target(r.PathValue(name))
		}
		next(w, r.WithContext(store.WithAudit(r.Context(), a)))
	}
}

// finishAudit makes the request's audit record durable, if it has one not written yet,
// with the outcome of a page sent with status and cause.
func (c *Console) finishAudit(r *http.Request, status int, cause error) error {
	outcome := kyc.AuditOK
	switch {
	case cause != nil:
		outcome = store.AuditOutcome(cause)
	case status >= 500:
		outcome = kyc.CodeInternal
	case status >= 400:
		outcome = kyc.BadInput("").Code
	}
	return c.db.FinishAudit(r.Context(), outcome)
}

// redirect answers 303 to url once the request's audit record is durable.
func (c *Console) redirect(w http.ResponseWriter, r *http.Request, url string) {
	if err := c.finishAudit(r, http.StatusSeeOther, nil); err != nil {
		c.log.Error("console audit", "route", r.Pattern, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, url, http.StatusSeeOther)
}

// auditTrailLength is how many of a profile's audit records its page shows, newest first;
// kyc audit export has them all.
const auditTrailLength = 50

// auditRow is a record of a profile's audit trail, its actor named.
type auditRow struct {
	kyc.AuditRecord
	By string
}

func (c *Console) auditTrail(r *http.Request, profileID string) ([]auditRow, error) {
	recs, err := c.db.FindAuditRecords(r.Context(), store.AuditQuery{ProfileID: profileID, Limit: auditTrailLength, Newest: true})
	if err != nil {
		return nil, err
	}
	reviewers, err := c.db.FindReviewers(r.Context())
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, rv := range reviewers {
		names[rv.ID] = rv.Name
	}
	out := make([]auditRow, len(recs))
	for i, rec := range recs {
		out[i] = auditRow{AuditRecord: rec, By: rec.Actor.Type + " " + rec.Actor.ID}
		if n, ok := names[rec.Actor.ID]; ok && rec.Actor.Type == kyc.AuditByReviewer {
			out[i].By = "reviewer " + n
		}
	}
	return out, nil
}
