package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/openkyc/kyc"
)

// queryParams are the query parameters a list accepts, each with its parser, which sets
// its part of the query and returns "" or what is wrong with the value.
type queryParams[Q any] map[string]func(q *Q, v string) string

// parse reads the request's query string into q. Every problem is reported at once (XFE12
// with a detail per parameter); an unknown or repeated parameter is one, rather than
// being ignored. It returns the parameters, for the page links.
func (ps queryParams[Q]) parse(r *http.Request, q *Q) (url.Values, error) {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, kyc.BadInput("The query string is malformed: use percent-encoding and & between parameters")
	}
	var problems []kyc.FieldError
	for _, name := range sortedKeys(values) {
		parse, ok := ps[name]
		msg := ""
		switch {
		case !ok:
			msg = "Unknown query parameter `" + echoParam(name) + "`"
		case len(values[name]) > 1:
			msg = name + " is given more than once"
		default:
			msg = parse(q, values[name][0])
		}
		if msg != "" {
			problems = append(problems, kyc.Invalid(name, "%s", msg))
		}
	}
	if len(problems) > 0 {
		return nil, kyc.Validation(problems)
	}
	return values, nil
}

// pageSize parses page[size], 1 to maxPageSize, into the field.
func pageSize[Q any](field func(q *Q) *int) func(q *Q, v string) string {
	return func(q *Q, v string) string {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			return "page[size] must be an integer from 1 to " + strconv.Itoa(maxPageSize)
		}
		*field(q) = n
		return ""
	}
}

// cursorLinks are the links of a page of a list paged by a cursor parameter: itself, the
// first page, and the next one, which starts after next (null when next is "": the last
// page).
func cursorLinks(r *http.Request, values url.Values, param, next string) kyc.CollectionLinks {
	with := func(cursor string) string {
		v := url.Values{}
		for k, vals := range values {
			v[k] = vals
		}
		v.Del(param)
		if cursor != "" {
			v.Set(param, cursor)
		}
		return pathWithQuery(r.URL.Path, v)
	}
	l := kyc.CollectionLinks{Self: r.URL.RequestURI(), First: with("")}
	if next != "" {
		n := with(next)
		l.Next = &n
	}
	return l
}
