package server

import (
	"net/http"
	"net/url"
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
var auditParams = map[string]func(q *store.AuditQuery, v string) string{
	"page[size]": func(q *store.AuditQuery, v string) string {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			return "page[size] must be an integer from 1 to " + strconv.Itoa(maxPageSize)
		}
		q.Limit = n
		return ""
	},
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
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, kyc.BadInput("The query string is malformed: use percent-encoding and & between parameters")
	}
	q := store.AuditQuery{Actor: accountFrom(r).ID, Limit: defaultPageSize}
	var problems []kyc.FieldError
	for _, name := range sortedKeys(values) {
		parse, ok := auditParams[name]
		msg := ""
		switch {
		case !ok:
			msg = "Unknown query parameter `" + echoParam(name) + "`"
		case len(values[name]) > 1:
			msg = name + " is given more than once"
		default:
			msg = parse(&q, values[name][0])
		}
		if msg != "" {
			problems = append(problems, kyc.Invalid(name, "%s", msg))
		}
	}
	if len(problems) > 0 {
		return nil, kyc.Validation(problems)
	}
	recs, err := s.db.FindAuditRecords(r.Context(), q)
	if err != nil {
		return nil, err
	}
	out := AuditEvents{Data: recs}
	out.Meta.Page = kyc.PageMeta{Size: q.Limit, Count: len(recs)}
	out.Links = auditLinks(r, values, recs, q.Limit)
	return out, nil
}

func auditLinks(r *http.Request, values url.Values, recs []kyc.AuditRecord, limit int) kyc.CollectionLinks {
	with := func(after string) string {
		v := url.Values{}
		for k, vals := range values {
			v[k] = vals
		}
		v.Del("page[after]")
		if after != "" {
			v.Set("page[after]", after)
		}
		return pathWithQuery(r.URL.Path, v)
	}
	l := kyc.CollectionLinks{Self: r.URL.RequestURI(), First: with("")}
	if len(recs) == limit {
		n := with(strconv.FormatInt(recs[len(recs)-1].Seq, 10))
		l.Next = &n
	}
	return l
}
