package kyc

import (
	"fmt"
	"time"
)

// Role is what a reviewer of the review console may do: a reviewer decides profiles, an
// admin also manages reviewers.
type Role string

const (
	RoleReviewer Role = "reviewer"
	RoleAdmin    Role = "admin"
)

// ParseRole reads a role as the CLI and the console's forms give it.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleReviewer, RoleAdmin:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q: use reviewer or admin", s)
}

// ReviewerStatus is where a reviewer is in their life: invited (an enrolment link is out),
// active (enrolled, may sign in) or disabled (may not sign in; their sessions are ended).
type ReviewerStatus string

const (
	ReviewerInvited  ReviewerStatus = "invited"
	ReviewerActive   ReviewerStatus = "active"
	ReviewerDisabled ReviewerStatus = "disabled"
)

// ReviewerIDPrefix starts every reviewer's id.
const ReviewerIDPrefix = "reviewer_"

// Reviewer is a person who decides profiles in the review console: a principal of their
// own, never an API key. Their name is what the profile's history records.
type Reviewer struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Email       string         `json:"email"`
	Role        Role           `json:"role"`
	Status      ReviewerStatus `json:"status"`
	TOTPEnabled bool           `json:"totpEnabled"` // a second factor is required at sign-in
	CreatedAt   time.Time      `json:"createdAt"`
}
