package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// Page sizes: the documented default and our bound on a page (the contract gives none).
const (
	defaultPageSize = 10
	maxPageSize     = 100
	maxPageNumber   = 1_000_000 // beyond, page[after] is the way
)

// listQuery is a parsed list request.
type listQuery struct {
	store.ProfileQuery
	values url.Values // as sent, to build the links
	number int        // page[number]; 0 when paging by cursor
}

// listParams are the query parameters of GET /v1/kyc/customer_profiles, each with its
// parser. A parser returns the problem with the value, or "".
var listParams = map[string]func(q *listQuery, v string) string{
	"page[size]":                  parsePageSize,
	"page[number]":                parsePageNumber,
	"page[after]":                 parseAfter,
	"sort":                        parseSort,
	"filter[created_after]":       timeParam("filter[created_after]", func(q *listQuery) *time.Time { return &q.CreatedAfter }),
	"filter[created_before]":      timeParam("filter[created_before]", func(q *listQuery) *time.Time { return &q.CreatedBefore }),
	"filter[updated_after]":       timeParam("filter[updated_after]", func(q *listQuery) *time.Time { return &q.UpdatedAfter }),
	"filter[updated_before]":      timeParam("filter[updated_before]", func(q *listQuery) *time.Time { return &q.UpdatedBefore }),
	"filter[registration_id]":     parseRegistrationID,
	"filter[email]":               parseEmail,
	"filter[verification_status]": parseStatus,
	"filter[registration_type]":   parseRegistrationType,
	// Documented for this GET with no stated purpose; checked (1 to 191 characters) and
	// otherwise ignored.
	"idempotency_id": parseIdempotencyID,
}

// parseListQuery reads the query string. Every problem is reported at once, each naming its
// parameter: an unknown parameter, one given twice, or a bad value.
func parseListQuery(raw string) (*listQuery, error) {
	values, err := url.ParseQuery(raw)
	if err != nil {
		return nil, kyc.BadInput("The query string is malformed: use percent-encoding and & between parameters")
	}
	q := &listQuery{values: values, number: 1}
	q.Sort, q.Limit = store.SortCreatedAsc, defaultPageSize
	var problems []kyc.FieldError
	for _, name := range sortedKeys(values) {
		if msg := parseParam(q, name, values[name]); msg != "" {
			problems = append(problems, kyc.Invalid(name, "%s", msg))
		}
	}
	if msg := q.combine(); msg != "" {
		problems = append(problems, kyc.Invalid("page[after]", "%s", msg))
	}
	if len(problems) > 0 {
		return nil, kyc.Validation(problems)
	}
	q.Offset = (q.number - 1) * q.Limit
	return q, nil
}

func parseParam(q *listQuery, name string, vals []string) string {
	parse, ok := listParams[name]
	switch {
	case !ok:
		return "Unknown query parameter `" + echoParam(name) + "`"
	case len(vals) > 1:
		return name + " is given more than once"
	}
	return parse(q, vals[0])
}

// combine checks the parameters against each other.
func (q *listQuery) combine() string {
	switch {
	case q.After == nil:
		return ""
	case q.values.Has("page[number]"):
		return "page[after] cannot be combined with page[number]"
	case q.After.Sort != q.Sort:
		return "page[after] was made for sort=" + q.After.Sort + "; send the same sort with it"
	}
	q.number = 0
	return ""
}

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func echoParam(name string) string {
	if len(name) > 50 {
		return name[:50] + "…"
	}
	return name
}

func parsePageSize(q *listQuery, v string) string {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxPageSize {
		return "page[size] must be an integer from 1 to " + strconv.Itoa(maxPageSize)
	}
	q.Limit = n
	return ""
}

func parsePageNumber(q *listQuery, v string) string {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxPageNumber {
		return "page[number] must be an integer from 1 to " + strconv.Itoa(maxPageNumber) + "; for deep pages follow links.next (page[after])"
	}
	q.number = n
	return ""
}

func parseAfter(q *listQuery, v string) string {
	c, err := store.ParseCursor(v)
	if err != nil {
		return "page[after] is not a cursor of this list: take it from links.next"
	}
	q.After = &c
	return ""
}

func parseSort(q *listQuery, v string) string {
	if !store.ValidSort(v) {
		return "Invalid sort. Must be in [\"created_at\", \"-created_at\", \"updated_at\", \"-updated_at\"]"
	}
	q.Sort = v
	return ""
}

// timeParam parses an ISO 8601 time with its offset (RFC 3339, fraction optional) or a
// date (midnight UTC). A time without an offset is refused: whose midnight would it be?
func timeParam(name string, field func(q *listQuery) *time.Time) func(q *listQuery, v string) string {
	return func(q *listQuery, v string) string {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			t, err = time.Parse(time.DateOnly, v)
		}
		if err != nil {
			return name + " must be an ISO 8601 date (2025-06-13) or date and time with offset (2025-06-13T10:32:53Z)"
		}
		*field(q) = t.UTC()
		return ""
	}
}

func parseRegistrationID(q *listQuery, v string) string {
	if !kyc.ValidRegistrationID(v) {
		return "filter[registration_id] must be 4 to 35 letters, digits, spaces or / - ? : ( ) . , ' +"
	}
	q.RegistrationKey = kyc.RegistrationKey(v)
	return ""
}

// parseEmail takes an email address, matched in any case through its keyed hash: the
// store keeps no address in clear to search.
func parseEmail(q *listQuery, v string) string {
	if n := len(v); n < 3 || n > 254 || !strings.Contains(v, "@") {
		return "filter[email] must be an email address of at most 254 characters"
	}
	q.Email = v
	return ""
}

func parseStatus(q *listQuery, v string) string {
	switch s := kyc.Status(v); s {
	case kyc.StatusPending, kyc.StatusVerified, kyc.StatusRejected:
		q.Status = s
		return ""
	}
	return "Invalid filter[verification_status]. Must be in [\"pending\", \"verified\", \"rejected\"]"
}

func parseRegistrationType(q *listQuery, v string) string {
	if v != kyc.RegistrationPersonal && v != kyc.RegistrationBusiness {
		return "Invalid filter[registration_type]. Must be in [\"personal\", \"business\"]"
	}
	q.RegistrationType = v
	return ""
}

func parseIdempotencyID(_ *listQuery, v string) string {
	if n := len([]rune(v)); n < 1 || n > 191 {
		return "idempotency_id must be 1 to 191 characters"
	}
	return ""
}

// listProfiles is GET /v1/kyc/customer_profiles: the caller's own profiles only.
func (s *Server) listProfiles(_ http.ResponseWriter, r *http.Request) (any, error) {
	q, err := parseListQuery(r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	profiles, next, err := s.db.FindProfiles(r.Context(), accountFrom(r).ID, q.ProfileQuery)
	if err != nil {
		return nil, err
	}
	out := kyc.Collection{Data: make([]kyc.Resource, 0, len(profiles))}
	for _, p := range profiles {
		doc, err := s.document(p)
		if err != nil {
			return nil, err
		}
		out.Data = append(out.Data, doc.Data)
		store.AuditTarget(r.Context(), p.ID)
	}
	out.Meta.Page = kyc.PageMeta{Size: q.Limit, Number: q.number, Count: len(profiles)}
	out.Links = links(r, q, next)
	return out, nil
}

// links keeps the caller's parameters in first and next, and moves the position: next is
// always a cursor, also when the caller paged by number.
func links(r *http.Request, q *listQuery, next *store.Cursor) kyc.CollectionLinks {
	with := func(after string) string {
		v := url.Values{}
		for k, vals := range q.values {
			v[k] = vals
		}
		v.Del("page[number]")
		v.Del("page[after]")
		if after != "" {
			v.Set("page[after]", after)
		}
		return pathWithQuery(r.URL.Path, v)
	}
	l := kyc.CollectionLinks{Self: r.URL.RequestURI(), First: with("")}
	if next != nil {
		n := with(next.String())
		l.Next = &n
	}
	return l
}

func pathWithQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}
