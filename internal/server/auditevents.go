package server

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// AuditEvents is the document of GET /v1/audit-events: one page of the records of the
// account's own actions, oldest first, and the links to the first and the next page.
type AuditEvents struct {
	Data  []kyc.AuditRecord   `json:"data"`
	Meta  kyc.CollectionMeta  `json:"meta"`
	Links kyc.CollectionLinks `json:"links"`
}

// auditParams are the query parameters of GET /v1/audit-events, each with its parser.
var auditParams = queryParams[store.AuditQuery]{
	"page[size]": pageSize(func(q *store.AuditQuery) *int { return &q.Limit }),
	"page[after]": func(q *store.AuditQuery, v string) string {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return "page[after] is not a cursor of this list: take it from links.next"
		}
		q.After = n
		return ""
	},
	"filter[customer_profile_id]": func(q *store.AuditQuery, v string) string {
		if len(v) > 100 {
			return "filter[customer_profile_id] is not a profile id"
		}
		q.ProfileID = v
		return ""
	},
	"filter[action]": func(q *store.AuditQuery, v string) string {
		if !slices.Contains(kyc.AuditActions(), v) {
			return "filter[action] is not an audited action (README: Audit log)"
		}
		q.Action = v
		return ""
	},
	"filter[from]": auditTime("filter[from]", func(q *store.AuditQuery) *time.Time { return &q.From }),
	"filter[to]":   auditTime("filter[to]", func(q *store.AuditQuery) *time.Time { return &q.To }),
}

func auditTime(name string, field func(q *store.AuditQuery) *time.Time) func(q *store.AuditQuery, v string) string {
	return func(q *store.AuditQuery, v string) string {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return name + " must be a date and time with offset (2025-06-13T10:32:53Z)"
		}
		*field(q) = t
		return ""
	}
}

// listAuditEvents is GET /v1/audit-events: the records of the caller's own actions, by
// any of its API keys. Every problem with the query is reported at once.
func (s *Server) listAuditEvents(_ http.ResponseWriter, r *http.Request) (any, error) {
	q := store.AuditQuery{Actor: accountFrom(r).ID, Limit: defaultPageSize}
	values, err := auditParams.parse(r, &q)
	if err != nil {
		return nil, err
	}
	recs, err := s.db.FindAuditRecords(r.Context(), q)
	if err != nil {
		return nil, err
	}
	out := AuditEvents{Data: recs}
	out.Meta.Page = kyc.PageMeta{Size: q.Limit, Count: len(recs)}
	next := ""
	if len(recs) == q.Limit {
		next = strconv.FormatInt(recs[len(recs)-1].Seq, 10)
	}
	out.Links = cursorLinks(r, values, "page[after]", next)
	return out, nil
}
