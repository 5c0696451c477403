package kyctest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/dlclark/regexp2/v2"
	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/openkyc/kyc/internal/server"
)

// Contract is the server's OpenAPI document read by an independent validator
// (libopenapi-validator), with ECMA-262 regular expressions as JSON Schema specifies. Every
// test server of this package checks each response it sends against it (see Serve), so
// the document and the server cannot drift apart unnoticed.
type Contract struct {
	v         validator.Validator
	schemas   schema_validation.SchemaValidator
	unmatched map[int]*base.Schema    // bodies of the answers to paths and methods no operation has
	always    map[string]*base.Schema // components.headers marked x-every-response, by name

	mu sync.Mutex // one check at a time: the validator's caches are not documented as safe for concurrent use
}

// Unmatched requests have no operation to be checked against: their answers are the
// document's components.responses of these names.
const (
	routeNotFound    = "RouteNotFound"
	methodNotAllowed = "MethodNotAllowed"
)

// LoadContract parses the document once per test binary: building the validator compiles
// every schema of the document, which is too slow to repeat per server.
var LoadContract = sync.OnceValues(func() (*Contract, error) {
	doc, err := libopenapi.NewDocument(server.OpenAPI())
	if err != nil {
		return nil, fmt.Errorf("parse openapi.yaml: %w", err)
	}
	v, errs := validator.NewValidator(doc, config.WithRegexEngine(ECMARegexp))
	if len(errs) > 0 {
		return nil, fmt.Errorf("build the validator of openapi.yaml: %v", errs)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("build the model of openapi.yaml: %w", err)
	}
	c := &Contract{
		v:         v,
		schemas:   schema_validation.NewSchemaValidator(config.WithRegexEngine(ECMARegexp)),
		unmatched: map[int]*base.Schema{},
		always:    map[string]*base.Schema{},
	}
	for name, h := range model.Model.Components.Headers.FromOldest() {
		if x := h.Extensions.GetOrZero("x-every-response"); x != nil && x.Value == "true" {
			c.always[name] = h.Schema.Schema()
		}
	}
	for status, name := range map[int]string{http.StatusNotFound: routeNotFound, http.StatusMethodNotAllowed: methodNotAllowed} {
		resp := model.Model.Components.Responses.GetOrZero(name)
		if resp == nil || resp.Content.GetOrZero("application/json") == nil {
			return nil, fmt.Errorf("openapi.yaml lacks components.responses.%s with an application/json body", name)
		}
		c.unmatched[status] = resp.Content.GetOrZero("application/json").Schema.Schema()
	}
	return c, nil
})

// ECMARegexp compiles a JSON Schema pattern as ECMA-262 (regexp2's ECMAScript mode), as
// the validators of other languages do, instead of Go's RE2 syntax.
func ECMARegexp(pattern string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(pattern, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return (*ecmaRegexp)(re), nil
}

type ecmaRegexp regexp2.Regexp

func (re *ecmaRegexp) MatchString(s string) bool {
	ok, err := (*regexp2.Regexp)(re).MatchString(s)
	return err == nil && ok
}

func (re *ecmaRegexp) String() string { return (*regexp2.Regexp)(re).String() }

// ValidateDocument checks the document against the OpenAPI 3.1 meta-schema.
func (c *Contract) ValidateDocument() []string {
	_, errs := c.v.ValidateDocument()
	return describe(errs)
}

// Check returns what in a response to req contradicts the document: a status the
// operation does not list, a body that its schema refuses, a header it requires that is
// missing. A path or method the document lacks must be answered as its RouteNotFound or
// MethodNotAllowed response says.
func (c *Contract) Check(req *http.Request, status int, header http.Header, body []byte) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	req = req.Clone(req.Context())
	req.Body = http.NoBody // the response's validation never reads it; it may be consumed
	resp := &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)), Request: req}
	problems := c.everyResponse(header)
	ok, errs := c.v.ValidateHttpResponse(req, resp)
	if ok {
		return problems
	}
	for _, e := range errs {
		switch {
		case e.ValidationType == helpers.PathValidation && e.ValidationSubType == helpers.ValidationMissing:
			return append(problems, c.checkUnmatched(http.StatusNotFound, status, header, body)...)
		case e.ValidationSubType == helpers.ValidationMissingOperation:
			return append(problems, c.checkUnmatched(http.StatusMethodNotAllowed, status, header, body)...)
		}
	}
	return append(problems, describe(errs)...)
}

// everyResponse checks the headers the document requires of every answer.
func (c *Contract) everyResponse(header http.Header) []string {
	var problems []string
	for name, sch := range c.always {
		v := header.Get(name)
		if v == "" {
			problems = append(problems, "no "+name+" header, which every response carries")
			continue
		}
		if ok, errs := c.schemas.ValidateSchemaObject(sch, v); !ok {
			problems = append(problems, fmt.Sprintf("header %s: %q: %s", name, v, strings.Join(describe(errs), "; ")))
		}
	}
	return problems
}

func (c *Contract) checkUnmatched(want, status int, header http.Header, body []byte) []string {
	if status != want {
		return []string{fmt.Sprintf("the document has no operation for this request, so the answer must be %d, not %d", want, status)}
	}
	var problems []string
	if want == http.StatusMethodNotAllowed && header.Get("Allow") == "" {
		problems = append(problems, "405 without an Allow header")
	}
	if ct := header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		problems = append(problems, fmt.Sprintf("Content-Type %q, want application/json", ct))
	}
	if ok, errs := c.schemas.ValidateSchemaBytes(c.unmatched[want], body); !ok {
		problems = append(problems, describe(errs)...)
	}
	return problems
}

func describe(errs []*errors.ValidationError) []string {
	var out []string
	for _, e := range errs {
		msg := e.Message
		if e.Reason != "" {
			msg += ": " + e.Reason
		}
		for _, f := range e.SchemaValidationErrors {
			msg += "; " + f.Error()
		}
		out = append(out, msg)
	}
	return out
}

// checkContract wraps a test server's handler: each response is recorded as it is written
// and checked against the document when the handler returns; a contradiction fails t,
// naming the request, the status and the mismatch.
func checkContract(t testing.TB, next http.Handler) http.Handler {
	t.Helper()
	c, err := LoadContract()
	if err != nil {
		t.Fatal(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.code
		if status == 0 {
			status = http.StatusOK
		}
		if problems := c.Check(r, status, w.Header(), rec.body.Bytes()); len(problems) > 0 {
			t.Errorf("contract: %s %s answered %d against openapi.yaml:\n\t%s\nbody: %.600s",
				r.Method, r.URL.RequestURI(), status, strings.Join(problems, "\n\t"), rec.body.Bytes())
		}
	})
}

// recorder copies what a handler writes on its way to the client.
type recorder struct {
	http.ResponseWriter
	code int
	body bytes.Buffer
}

func (w *recorder) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
