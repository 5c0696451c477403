package kyc

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// ProfileScreening is the latest screening of a profile: every subject screened (the
// customer; for a company also its directors, beneficial owners and trader), what was
// found, and what it ran against (GET /v1/kyc/customer_profiles/{id}/screening).
type ProfileScreening struct {
	ProfileID        string            `json:"profileId"`
	ScreenedAt       time.Time         `json:"screenedAt"`
	AlgorithmVersion string            `json:"algorithmVersion"`
	Threshold        float64           `json:"threshold"`
	Lists            []ListSnapshot    `json:"lists"`
	Subjects         []ScreenedSubject `json:"subjects"`
	Hits             []ProfileHit      `json:"hits"`
}

// ScreenedSubject is one party of a profile as it was screened.
type ScreenedSubject struct {
	Path        string    `json:"path"` // where in the profile: "", "directors[0]", "beneficialOwners[1]", "trader"
	Role        string    `json:"role"` // customer, director, beneficialOwner, trader
	Type        PartyKind `json:"type"`
	Name        string    `json:"name"`
	Aliases     []string  `json:"aliases,omitempty"`
	DateOfBirth BirthDate `json:"dateOfBirth,omitempty"`
	Countries   []string  `json:"countries,omitempty"`
}

// The roles of a screened subject.
const (
	RoleCustomer        = "customer"
	RoleDirector        = "director"
	RoleBeneficialOwner = "beneficialOwner"
	RoleTrader          = "trader"
)

// ProfileHit is one hit of a profile's screening. Its id stays the same on later screenings
// while the subject's place in the profile and the list entry do; its fingerprint (the
// subject's screened data and the entry) keys a reviewer's resolution.
type ProfileHit struct {
	ID          string `json:"id"`
	Subject     string `json:"subject"` // the subject's path
	Fingerprint string `json:"fingerprint"`
	ScreeningHit
	Resolution *HitResolution `json:"resolution"`
}

// Resolutions of a hit.
const (
	FalsePositive = "false_positive"
	TrueMatch     = "true_match"
)

// HitResolution is a reviewer's decision on a hit.
type HitResolution struct {
	As     string    `json:"as"` // false_positive or true_match
	Reason string    `json:"reason"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// maxResolutionReason bounds a resolution's reason.
const maxResolutionReason = 1000

// CheckResolution checks a resolution given by an operator.
func CheckResolution(r HitResolution) error {
	switch {
	case r.As != FalsePositive && r.As != TrueMatch:
		return BadInput("Invalid resolution `%s`. Must be in [\"false_positive\", \"true_match\"]", echo(r.As))
	case r.Reason == "" || hidden(r.Reason) || utf8.RuneCountInString(r.Reason) > maxResolutionReason:
		return BadInput("The reason must be 1 to %d characters without line breaks", maxResolutionReason)
	case r.By == "":
		return BadInput("The reviewer must be named")
	}
	return nil
}

// Unresolved counts the hits with no resolution; Confirmed those resolved as true matches.
func (s *ProfileScreening) Unresolved() (unresolved, confirmed int) {
	for _, h := range s.Hits {
		switch {
		case h.Resolution == nil:
			unresolved++
		case h.Resolution.As == TrueMatch:
			confirmed++
		}
	}
	return unresolved, confirmed
}

// HitNotFound refuses a resolution of a hit the profile's latest screening does not have.
func HitNotFound(id string) *Error {
	return ErrHitNotFound.Newf("Screening hit %s not found in the profile's latest screening", echo(id))
}

// String names a subject for logs and messages without personal data.
func (s ScreenedSubject) String() string { return fmt.Sprintf("%s %s", s.Role, s.Path) }

// RiskAssessment is the risk rating of a profile by the risk rules (internal/risk): shown in
// the profile's riskRating beside StraitsX's members, and in its history when it changes.
type RiskAssessment struct {
	Level        string       `json:"level"` // low, medium, high, prohibited; first: the queue reads it by prefix (store.levelPattern)
	Score        int          `json:"score"`
	Factors      []RiskFactor `json:"factors"`
	RulesVersion string       `json:"rulesVersion"`
}

// RiskFactor is one reason for points in a rating.
type RiskFactor struct {
	Code   string `json:"code"`
	Points int    `json:"points"`
	Detail string `json:"detail"`
}

// ScreeningAlert is what a history entry and the cpScreeningAlert webhook event say of a
// re-screening that changed a profile's matches: hit ids and list references, no names.
type ScreeningAlert struct {
	ProfileID  string     `json:"profileId"`
	Added      []AlertHit `json:"added"`
	Removed    []AlertHit `json:"removed"`
	Unresolved int        `json:"unresolved"`
	ScreenedAt time.Time  `json:"screenedAt"`
}

// AlertHit names a hit in an alert.
type AlertHit struct {
	ID      string  `json:"id"`
	Subject string  `json:"subject"`
	List    string  `json:"list"`
	Ref     string  `json:"ref"`
	Score   float64 `json:"score"`
}

// RescreenProgress is the progress of the re-screening of every profile, run after the
// active lists, the algorithm or the risk rules changed (kyc lists status,
// GET /v1/screening/lists).
type RescreenProgress struct {
	Target     string     `json:"target"` // what the profiles are screened for: snapshot ids, algorithm, rules version
	StartedAt  time.Time  `json:"startedAt"`
	Total      int        `json:"total"`    // profiles when it started
	Screened   int        `json:"screened"` // profiles done (those created meanwhile included)
	Alerts     int        `json:"alerts"`   // profiles whose matches changed
	FinishedAt *time.Time `json:"finishedAt"`
}

// NewAlertDocument is the body of a cpScreeningAlert webhook event.
func NewAlertDocument(a *ScreeningAlert) any {
	type resource struct {
		ID         string          `json:"id"`
		Type       string          `json:"type"`
		Attributes *ScreeningAlert `json:"attributes"`
	}
	return map[string]resource{"data": {ID: a.ProfileID, Type: "screening_alert", Attributes: a}}
}
