package kyc

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
		return "", ErrInvalidEventType.New()
	case name == "":
		return "", EventRecordNotFound()
	}
	return name, nil
}

// ResendGap is how often one object's callback may be resent, as published.
const ResendGap = 5 * 60 // seconds

// EventRecordNotFound is the published 404 for a resend whose object has no event.
func EventRecordNotFound() *Error { return ErrEventRecordNotFound.New() }

// ResendTooSoon is the published 429 for a second resend within ResendGap.
func ResendTooSoon() *Error { return ErrResendTooSoon.New() }
