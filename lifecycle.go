package kyc

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"time"
)

// The verification lifecycle lives here, in one place, so that the sandbox endpoint, the
// review command and a later review console all decide by the same rules:
//
//	create            → pending
//	pending           → verified | rejected   (a review decision)
//	verified          → rejected              (a review decision: a verification revoked)
//	verified          → pending               (an update that changes more than contact data)
//	rejected          → pending               (an update of a retryable rejection: a resubmission)
//
// Everything else is refused with STXE-4000: a decision on a rejected profile (it must be
// resubmitted first), a decision that repeats the current status, and any update of a
// rejection that is not retryable.

// Actor types: who made a transition.
const (
	ActorAccount  = "account"  // the platform, through the API (an update)
	ActorReviewer = "reviewer" // a compliance reviewer (kyc profile review)
	ActorSandbox  = "sandbox"  // the sandbox status endpoint
)

// Actor is who made a transition. Name is the account id or the reviewer's name; empty
// for the sandbox.
type Actor struct {
	Type string `json:"type"`
	Name string `json:"name,omitempty"`
}

// Transition is one entry of a profile's history: a change of its status, or (Event other
// than EventStatus) a screening alert, a hit's resolution or a new risk rating, with From and
// To both the status the profile kept.
type Transition struct {
	Event string    `json:"event"`
	From  Status    `json:"from,omitempty"` // empty for the creation
	To    Status    `json:"to"`
	Actor Actor     `json:"actor"`
	Codes []int     `json:"reasonCodes"`
	At    time.Time `json:"at"`

	// Risk is the profile's rating when this entry changed it (its creation included).
	Risk *RiskAssessment `json:"risk,omitempty"`
	// Alert is what a re-screening found changed (EventScreeningAlert).
	Alert *ScreeningAlert `json:"alert,omitempty"`
	// Resolution is a hit's resolution (EventHitResolved), with the hit's id.
	Resolution *ResolutionEntry `json:"resolution,omitempty"`
}

// The events of a profile's history.
const (
	EventStatus      = "status"         // the status changed (or was set, at creation)
	EventRiskRated   = "riskRated"      // the risk rating changed, the status did not
	EventAlert       = "screeningAlert" // a re-screening changed the matches
	EventHitResolved = "hitResolved"    // a reviewer resolved a hit
)

// ResolutionEntry is a hit's resolution as the history shows it: no reason text, which
// may name people; GET …/screening shows it.
type ResolutionEntry struct {
	HitID string `json:"hitId"`
	As    string `json:"as"`
}

// Decision is a review's outcome for a profile.
type Decision struct {
	Status    Status
	Codes     []int  // catalogued rejection codes; rejected only
	Retryable *bool  // nil: retryable unless a code is not
	Summary   string // empty: the messages of the codes
}

// Decide checks a decision against a profile's current status and returns the rejection
// the profile will carry (nil when verified). Field problems are XFE12, named by the
// sandbox endpoint's member names; an impossible transition is STXE-4000.
func Decide(from Status, d Decision) (*Rejection, error) {
	if err := decidable(from, d.Status); err != nil {
		return nil, err
	}
	if d.Status == StatusVerified {
		if len(d.Codes) > 0 || d.Retryable != nil || d.Summary != "" {
			return nil, BadInput("rejectionCodes, isRetryable and verificationRejectionSummary go only with verificationStatus rejected")
		}
		return nil, nil
	}
	return rejection(d)
}

func decidable(from, to Status) error {
	switch {
	case to != StatusVerified && to != StatusRejected:
		return BadInput("Invalid verificationStatus `%s`. Must be in [\"verified\", \"rejected\"]", echo(string(to)))
	case from == StatusPending, from == StatusVerified && to == StatusRejected:
		return nil
	case from == StatusRejected:
		return NotAllowed(fmt.Sprintf("Invalid state transition from rejected to %s: a rejected profile is decided again only after it is resubmitted", to))
	}
	return NotAllowed(fmt.Sprintf("Invalid state transition from %s to %s", from, to))
}

func rejection(d Decision) (*Rejection, error) {
	codes := []int{}
	retryable := true
	for i, code := range d.Codes {
		reason, ok := LookupRejection(code)
		if !ok {
			return nil, BadInput("Invalid rejectionCodes[%d] `%d`: not a catalogued rejection code", i, code)
		}
		if !slices.Contains(codes, code) {
			codes = append(codes, code)
		}
		retryable = retryable && reason.Retryable
	}
	if d.Retryable != nil {
		if *d.Retryable && !retryable {
			return nil, BadInput("isRetryable cannot be true with a rejection code that is not retryable (501–599)")
		}
		retryable = *d.Retryable
	}
	summary := d.Summary
	if summary == "" {
		summary = defaultSummary(codes)
	}
	return &Rejection{Retryable: retryable, Summary: summary, Codes: codes}, nil
}

// ScreeningClear refuses to verify a profile while a hit of its screening is unresolved or
// confirmed as a true match. A reviewer's decision (the review command, the console) goes
// through it; the sandbox status endpoint, which simulates StraitsX, does not.
func ScreeningClear(to Status, unresolved, confirmed int) error {
	switch {
	case to != StatusVerified:
		return nil
	case unresolved > 0:
		return ErrUnresolvedHits.Newf("Customer profile has %d unresolved screening hit(s): it can be verified once each is resolved", unresolved)
	case confirmed > 0:
		return ErrUnresolvedHits.Newf("Customer profile has %d screening hit(s) confirmed as a true match: it cannot be verified", confirmed)
	}
	return nil
}

// StatusAfterUpdate is the status a profile takes when its attributes change from old to
// next. A retryable rejection goes back to review (a resubmission); a rejection that is not
// retryable refuses the update. A verified profile goes back to review unless only its
// kind's contact data changed: everything else a profile holds is identity or risk data
// that the verification was based on.
func StatusAfterUpdate(from Status, rej *Rejection, k *Kind, old, next Data) (Status, error) {
	if err := Updatable(from, rej); err != nil {
		return "", err
	}
	switch {
	case from == StatusRejected:
		return StatusPending, nil
	case from == StatusVerified && !k.onlyReviewFreeChanged(old, next):
		return StatusPending, nil
	}
	return from, nil
}

// Updatable refuses any update of a profile whose rejection is not retryable; it is checked
// before the update itself, so the refusal does not depend on the body.
func Updatable(from Status, rej *Rejection) error {
	if from == StatusRejected && (rej == nil || !rej.Retryable) {
		return NotAllowed("Resubmission of Verification Info Not Allowed: the profile was rejected for a reason that cannot be corrected")
	}
	return nil
}

// onlyReviewFreeChanged reports whether old and next differ at most in the kind's
// ReviewFree members (contact data).
func (k *Kind) onlyReviewFreeChanged(old, next Data) bool {
	return reflect.DeepEqual(without(old, k.ReviewFree), without(next, k.ReviewFree))
}

func without(d Data, names []string) Data {
	out := maps.Clone(d)
	for _, n := range names {
		delete(out, n)
	}
	return out
}
