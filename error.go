package kyc

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Codes carried in the "error_code" member of every error body. The XFE codes are
// StraitsX's legacy codes, still used by the customer-profile endpoints; the STXE codes are
// the newer classes used for authentication, request signing and business rules.
const (
	CodeInvalid          = "XFE12" // invalid parameter
	CodeNotFound         = "XFE13" // record not found
	CodeMissing          = "XFE15" // required parameter empty
	CodeDuplicate        = "XFE16" // duplicated request
	CodeInternal         = "XFE3"  // internal error
	CodeUnauthorized     = "STXE-1000"
	CodeForbidden        = "STXE-2000"
	CodeBadRequest       = "STXE-3000"
	CodeConditions       = "STXE-4000"
	CodeNoRecord         = "STXE-5000"
	CodeSandboxOnly      = "STXE-6000"
	CodeDuplicateKey     = "STXE-7000"
	CodeFailedDependency = "STXE-8000"
	CodeRateLimited      = "STXE-9000"
	CodeUnavailable      = "STXE-9100"
)

// The "error_handling" remedy texts. The first three are the published ones.
const (
	HandlingInvalid  = "Make sure you entered the correct parameters."
	HandlingMissing  = "Make sure you entered the correct required parameter."
	HandlingNotFound = "Please check that you provided the correct API Key and the correct parameters."
)

// Error is the one error type that crosses the API boundary. Everything in it is safe to
// show to the caller: it never holds internal error text or personal data. Internal causes
// stay in the server's logs.
type Error struct {
	Status   int    // HTTP status
	Code     string // error_code
	Message  string // error
	Handling string // error_handling

	// Details lists every problem found in a request, in field order; the first one is
	// also the error's own Message and Code.
	Details []FieldError

	// ProfileID names the existing profile when a create is refused as a duplicate.
	ProfileID string

	// Shape overrides the envelope the code's family implies (ShapeFlat or ShapeErrors),
	// where StraitsX publishes the other one for an endpoint; "" follows the family.
	Shape string
}

// Envelopes an error can be written in.
const (
	ShapeFlat   = "flat"   // {"error","error_code","error_handling"}
	ShapeErrors = "errors" // {"errors":[{…}]}
)

// FieldError is one problem with one field, named by its JSON path ("address.city").
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"error"`
	Code    string `json:"error_code"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Flat reports whether the error is written in the legacy flat shape
// {"error","error_code","error_handling"} (XFE codes) rather than {"errors":[…]} (STXE codes).
func (e *Error) Flat() bool {
	if e.Shape != "" {
		return e.Shape == ShapeFlat
	}
	return !strings.HasPrefix(e.Code, "STXE-")
}

// AsError returns err as an *Error, or nil when err is of another kind.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Missing reports a required field that is absent, null or blank.
func Missing(field string) FieldError {
	return FieldError{Field: field, Code: CodeMissing, Message: field + " is missing"}
}

// Invalid reports a field whose value breaks a rule.
func Invalid(field, format string, args ...any) FieldError {
	return FieldError{Field: field, Code: CodeInvalid, Message: fmt.Sprintf(format, args...)}
}

// Validation turns a non-empty list of field problems into one 400 error whose own
// message is the first problem's, as the documented single-error body requires.
func Validation(problems []FieldError) *Error {
	first := problems[0]
	handling := HandlingInvalid
	if first.Code == CodeMissing {
		handling = HandlingMissing
	}
	return &Error{
		Status: http.StatusBadRequest, Code: first.Code, Message: first.Message,
		Handling: handling, Details: problems,
	}
}

// BadInput reports a request that cannot be read as a profile at all (malformed JSON,
// wrong types at the top level, bad query parameters).
func BadInput(format string, args ...any) *Error {
	return &Error{
		Status: http.StatusBadRequest, Code: CodeInvalid,
		Message: fmt.Sprintf(format, args...), Handling: HandlingInvalid,
	}
}

// NotFound is the documented answer for an unknown profile (HTTP 400, XFE13). It is also
// the answer for another account's profile, so that ids cannot be probed across accounts.
func NotFound() *Error {
	return &Error{
		Status: http.StatusBadRequest, Code: CodeNotFound,
		Message: "Customer profile not found", Handling: HandlingNotFound,
	}
}

// Duplicate refuses a second profile for the same person in the same account.
func Duplicate(existingID string) *Error {
	return &Error{
		Status: http.StatusConflict, Code: CodeDuplicate,
		Message:   "Customer profile already exists",
		Handling:  "Update the existing customer profile instead of creating a new one; find it with filter[registration_id].",
		ProfileID: existingID,
	}
}

// Internal is all a caller learns of a failure inside the server.
func Internal() *Error {
	return &Error{
		Status: http.StatusInternalServerError, Code: CodeInternal,
		Message:  "Internal server error",
		Handling: "Please try again later. If the problem persists, contact support with the X-Request-Id of the response.",
	}
}

// Unavailable is returned while the database cannot be reached.
func Unavailable() *Error {
	return &Error{
		Status: http.StatusServiceUnavailable, Code: CodeUnavailable,
		Message:  "Service temporarily unavailable",
		Handling: "Please retry after a short wait.",
	}
}

// Unauthorized is the 401 of the API-key and signature checks.
func Unauthorized(message, handling string) *Error {
	return &Error{Status: http.StatusUnauthorized, Code: CodeUnauthorized, Message: message, Handling: handling}
}

// RequestError reports a problem with the HTTP request itself rather than its fields, such
// as an oversized body (413) or a content type other than JSON (415). It keeps the flat
// shape of the profile endpoints.
func RequestError(status int, message string) *Error {
	return &Error{Status: status, Code: CodeInvalid, Message: message, Handling: HandlingInvalid}
}

// RouteNotFound answers a path the server does not serve.
func RouteNotFound() *Error {
	return &Error{
		Status: http.StatusNotFound, Code: CodeNoRecord, Message: "Route not found",
		Handling: "Check the method and path against the API reference at /openapi.yaml.",
	}
}

// MethodNotAllowed answers a known path called with a method it does not serve.
func MethodNotAllowed() *Error {
	return &Error{
		Status: http.StatusMethodNotAllowed, Code: CodeBadRequest, Message: "Method not allowed",
		Handling: "Check the method and path against the API reference at /openapi.yaml.",
	}
}
