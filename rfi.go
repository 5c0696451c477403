package kyc

import (
	"fmt"
	"time"
)

// A request for information (RFI) is a set of questions compliance asks about a CP+
// profile. Its lifecycle, in one place:
//
//	raised (sandbox endpoint or kyc rfi create)   → sent
//	sent      → received   (the platform submits every answer that is due, at once)
//	received  → completed  (every question accepted: kyc rfi review, or the sandbox transition)
//	received  → sent       (a reviewer rejected an answer: that question is asked again)
//	sent      → expired    (not answered in time; an onboarding RFI then rejects the profile, code 405)
//
// One RFI per profile is outstanding (sent or received) at a time, and a profile with an
// outstanding RFI cannot be verified.

// RFIStatus is where an RFI stands.
type RFIStatus string

const (
	RFISent      RFIStatus = "sent"
	RFIReceived  RFIStatus = "received"
	RFICompleted RFIStatus = "completed"
	RFIExpired   RFIStatus = "expired"
)

// RFIStatuses are the values of filter[status], in lifecycle order.
var RFIStatuses = []RFIStatus{RFISent, RFIReceived, RFICompleted, RFIExpired}

// Outstanding reports whether the RFI still waits for the customer or a reviewer.
func (s RFIStatus) Outstanding() bool { return s == RFISent || s == RFIReceived }

// Question statuses.
const (
	QuestionPending   = "pending"   // waiting for an answer
	QuestionSubmitted = "submitted" // answered, waiting for review
	QuestionAccepted  = "accepted"
	QuestionRejected  = "rejected" // answered, refused by review: to be answered again
)

// Reply types of a question.
const (
	ReplyText     = "TEXT"
	ReplyDoc      = "DOC"
	ReplyCheckbox = "CHECKBOX"
)

// RFIType is the JSON:API type of an RFI.
const RFIType = "rfiRequest"

// RFIIDPrefix starts every RFI id.
const RFIIDPrefix = "rfi_request_"

// ActorSystem is the service itself, as the actor of a transition no person made (an RFI
// that expired rejects its profile).
const ActorSystem = "system"

// RFIExpiryDays are the days an RFI may stay unanswered when its body names none: 14 while
// the profile is in onboarding (pending), 30 after, as StraitsX's RFI FAQ says.
type RFIExpiryDays struct {
	Onboarding, Ongoing int
}

// DefaultRFIExpiryDays is StraitsX's published default.
var DefaultRFIExpiryDays = RFIExpiryDays{Onboarding: 14, Ongoing: 30}

// For returns the days for an RFI raised on a profile of the given status.
func (d RFIExpiryDays) For(profile Status) int {
	if profile == StatusPending {
		return d.Onboarding
	}
	return d.Ongoing
}

// RFI is a stored request for information.
type RFI struct {
	ID         string
	AccountID  string
	ProfileID  string
	Status     RFIStatus
	Onboarding bool // raised while the profile was pending: its expiry rejects the profile
	ExpiryDays int  // the period to answer in, counted again when an answer is sent back
	Questions  []Question
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ExpiresAt  time.Time
}

// Question is one question of an RFI with its answer and review so far.
type Question struct {
	ID              int      `json:"id"`
	Question        string   `json:"question"`
	Optional        bool     `json:"optional"`
	ReplyType       string   `json:"replyType"`
	Options         []string `json:"checkboxOptions,omitempty"`
	Status          string   `json:"questionStatus"`
	Reply           *Reply   `json:"userReply"`
	RejectionReason string   `json:"rejectionReason,omitempty"`
}

// Reply is the customer's answer to one question: the member of its reply type.
type Reply struct {
	TextReply       string   `json:"textReply,omitempty"`
	DocumentURL     string   `json:"documentUrl,omitempty"`
	SelectedOptions []string `json:"selectedOptions,omitempty"`
	OthersDetails   string   `json:"othersDetails,omitempty"`
}

// due reports whether q waits for an answer: never answered, or answered and rejected.
func (q *Question) due() bool { return q.Status == QuestionPending || q.Status == QuestionRejected }

// Outstanding returns the first outstanding RFI of rfis, or nil.
func Outstanding(rfis []RFI) *RFI {
	for i := range rfis {
		if rfis[i].Status.Outstanding() {
			return &rfis[i]
		}
	}
	return nil
}

// Verifiable refuses to verify a profile while an RFI is outstanding: its answers are part
// of what the verification rests on.
func Verifiable(to Status, outstanding *RFI) error {
	if to != StatusVerified || outstanding == nil {
		return nil
	}
	return NotAllowed(fmt.Sprintf("Customer profile has an outstanding RFI (%s, %s): it can be verified once the RFI is completed",
		outstanding.ID, outstanding.Status))
}

// RFINotFound is the published 404 for an unknown RFI, or one of another profile.
func RFINotFound() *Error { return ErrRFINotFound.New() }

// RFIProfileNotFound is the published 404 of the RFI endpoints for an unknown profile: XFE13
// in the errors[] envelope, unlike the flat 400 of the profile endpoints.
func RFIProfileNotFound() *Error { return ErrRFIProfileNotFound.New() }

// RFIAlreadyCompleted is the published 424 for answers sent to a completed RFI.
func RFIAlreadyCompleted() *Error { return ErrRFIAlreadyCompleted.New() }

// RFINotOpen refuses a change that the RFI's status does not allow.
func RFINotOpen(r *RFI, what string) *Error {
	if r.Status == RFICompleted {
		return RFIAlreadyCompleted()
	}
	return ErrRFINotOpen.Newf("RFI is %s: %s", r.Status, what)
}

// RFIOutstanding refuses a second outstanding RFI for one profile.
func RFIOutstanding(id string) *Error {
	return ErrRFIOutstanding.Newf("Customer profile already has an outstanding RFI (%s)", id)
}

// RFINotRaisable refuses an RFI for a profile that cannot take one.
func RFINotRaisable(s Status) *Error {
	return ErrRFINotRaisable.Newf("An RFI can be raised only for a pending or verified customer profile, not a %s one", s)
}
