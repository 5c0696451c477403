package kyc

import "net/http"

// The event types of POST /v1/webhook-events/{event_type}/resend/{triggerable_id}, as
// published, and the event each one resends. The types of bank accounts, virtual accounts
// and contracts are valid but name objects this service does not have: their records are
// never found.
var resendTypes = map[string]string{
	"cp-verification":           EventVerificationStatusUpdated,
	"cp-txnlimits":              EventTxnLimitsUpdated,
	"cp-txnlimitsupdaterequest": EventTxnLimitsUpdateRequestStatusUpdated,
	"cp-rfi":                    EventRFIStatusUpdated,
	"cp-bankaccount":            "",
	"cp-virtualaccount":         "",
	"user-bankaccount":          "",
	"user-virtualaccount":       "",
	"user-contract":             "",
}

// ResendEvent returns the event name a resend's event_type names: the type's event, or
// the published 404 "Invalid event type", or "Record not found" for a type whose objects
// this service does not have.
func ResendEvent(eventType string) (string, error) {
	name, ok := resendTypes[eventType]
	switch {
	case !ok:
		return "", resendNotFound("Invalid event type")
	case name == "":
		return "", EventRecordNotFound()
	}
	return name, nil
}

// ResendGap is how often one object's callback may be resent, as published.
const ResendGap = 5 * 60 // seconds

// EventRecordNotFound is the published 404 for a resend whose object has no event.
func EventRecordNotFound() *Error { return resendNotFound("Record not found") }

func resendNotFound(message string) *Error {
	return &Error{
		Status: http.StatusNotFound, Code: CodeNoRecord, Message: message, Shape: ShapeFlat,
		Handling: "The requested resource could not be found. Please ensure that you have provided valid parameters and try again.",
	}
}

// ResendTooSoon is the published 429 for a second resend within ResendGap.
func ResendTooSoon() *Error {
	return &Error{
		Status: http.StatusTooManyRequests, Code: CodeRateLimited, Shape: ShapeFlat,
		Message: "You can only resend callback once every 5 minutes", Handling: "Please wait before retrying.",
	}
}
