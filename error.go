package kyc

import (
	"errors"
	"fmt"
)

// Error is the one error type that crosses the API boundary: one occurrence of an ErrorKind of
// the catalogue (errcatalogue.go). Everything in it is safe to show to the caller: it never
// holds internal error text or personal data. Internal causes stay in the server's logs.
type Error struct {
	// Kind is the catalogue row this error is an occurrence of; nil for an error rebuilt
	// from a response (ParseError), which names no row.
	Kind *ErrorKind

	Status   int    // HTTP status
	Code     string // error_code
	Shape    Shape  // the envelope it is written in
	Message  string // error
	Handling string // error_handling

	// Details lists every problem found in a request, in field order; the first one is
	// also the error's own Message and Code.
	Details []FieldError

	// ProfileID names the existing profile when a create is refused as a duplicate.
	ProfileID string
}

// FieldError is one problem with one field, named by its JSON path ("address.city").
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"error"`
	Code    string `json:"error_code"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Flat reports whether the error is written in the legacy flat shape
// {"error","error_code","error_handling"} rather than {"errors":[…]}.
func (e *Error) Flat() bool { return e.Shape != ShapeErrors }

// Is makes every row of the catalogue a sentinel: errors.Is(err, kyc.ErrPublicKeyNotFound)
// holds for any occurrence of that row, whatever its message says.
func (e *Error) Is(target error) bool {
	k, ok := target.(*ErrorKind)
	return ok && e.Kind != nil && e.Kind == k
}

// AsError returns err as an *Error, or nil when err is of another kind.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Shape is the envelope an error is written in.
type Shape string

const (
	// ShapeFlat is {"error","error_code","error_handling"}, the shape of the profile
	// endpoints in StraitsX's OpenAPI export (spec §4.2).
	ShapeFlat Shape = "flat"
	// ShapeErrors is {"errors":[{"error","error_code","error_handling"}]}, the shape of the
	// "Error Responses" guide page (spec §4.2), used with the STXE codes.
	ShapeErrors Shape = "errors[]"
)

// ErrorKind is one row of the catalogue of API errors: all an error of that kind says, except
// what one occurrence adds. Every ErrorKind is also an error, so that it serves as the sentinel
// errors.Is compares occurrences with.
type ErrorKind struct {
	Code     string
	Status   int
	Shape    Shape
	Message  string // empty where each occurrence says what is wrong (Newf)
	Handling string
}

func (k *ErrorKind) Error() string { return k.Code + ": " + k.Message }

// New returns an occurrence of the kind, with the row's message.
func (k *ErrorKind) New() *Error {
	return &Error{Kind: k, Status: k.Status, Code: k.Code, Shape: k.Shape, Message: k.Message, Handling: k.Handling}
}

// Newf returns an occurrence of the kind whose message says what this one is about.
func (k *ErrorKind) Newf(format string, args ...any) *Error {
	e := k.New()
	e.Message = fmt.Sprintf(format, args...)
	return e
}

// ErrorKinds returns every row of the catalogue, in the order they are declared.
func ErrorKinds() []*ErrorKind { return append([]*ErrorKind(nil), errorKinds...) }

// errorKinds is the catalogue; newKind adds each row as the package's variables are initialised,
// so that a row cannot be declared without being in it.
var errorKinds []*ErrorKind

func newKind(k ErrorKind) *ErrorKind {
	errorKinds = append(errorKinds, &k)
	return &k
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
	kind := ErrInvalid
	if problems[0].Code == CodeMissing {
		kind = ErrMissing
	}
	e := kind.New()
	e.Message, e.Details = problems[0].Message, problems
	return e
}

// BadInput reports a request that cannot be read as a profile at all (malformed JSON,
// wrong types at the top level, bad query parameters).
func BadInput(format string, args ...any) *Error { return ErrInvalid.Newf(format, args...) }

// NotFound is the documented answer for an unknown profile (HTTP 400, XFE13). It is also
// the answer for another account's profile, so that ids cannot be probed across accounts.
func NotFound() *Error { return ErrNotFound.New() }

// Duplicate refuses a second profile for the same person in the same account.
func Duplicate(existingID string) *Error {
	e := ErrDuplicate.New()
	e.ProfileID = existingID
	return e
}
