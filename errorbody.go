package kyc

import (
	"encoding/json"
	"net/http"
)

// errorBody is one error as it appears on the wire.
type errorBody struct {
	Error     string       `json:"error"`
	Code      string       `json:"error_code"`
	Handling  string       `json:"error_handling"`
	ProfileID string       `json:"customer_profile_id,omitempty"`
	Details   []FieldError `json:"details,omitempty"`
}

// errorsBody is the {"errors":[…]} envelope of the STXE codes.
type errorsBody struct {
	Errors []errorBody `json:"errors"`
}

// MarshalJSON writes the error in the shape its code calls for: flat for the XFE codes of
// the profile endpoints, {"errors":[…]} for the STXE codes.
func (e *Error) MarshalJSON() ([]byte, error) {
	b := errorBody{Error: e.Message, Code: e.Code, Handling: e.Handling, ProfileID: e.ProfileID, Details: e.Details}
	if e.Flat() {
		return json.Marshal(b)
	}
	return json.Marshal(errorsBody{Errors: []errorBody{b}})
}

// ParseError rebuilds the *Error a server sent, from the status and body of its response,
// so that a client sees the same typed error the server returned. A body in neither shape
// (a proxy's HTML page, say) still gives an *Error that carries the status.
func ParseError(status int, body []byte) *Error {
	var many errorsBody
	if json.Unmarshal(body, &many) == nil && len(many.Errors) > 0 {
		return fromBody(status, ShapeErrors, many.Errors[0])
	}
	var one errorBody
	if json.Unmarshal(body, &one) == nil && one.Code != "" {
		return fromBody(status, ShapeFlat, one)
	}
	return &Error{Status: status, Message: http.StatusText(status)}
}

func fromBody(status int, shape Shape, b errorBody) *Error {
	return &Error{
		Status: status, Code: b.Code, Shape: shape, Message: b.Error, Handling: b.Handling,
		ProfileID: b.ProfileID, Details: b.Details,
	}
}
