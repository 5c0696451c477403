package kyc

import (
	"encoding/json"
	"time"
)

// A transaction limits update request asks for higher limits, with evidence of the
// customer's wealth. It is pending until compliance approves it (with the limit granted)
// or rejects it; one request per profile is pending at a time.

// Limit request statuses.
const (
	LimitRequestPending  = "pending"
	LimitRequestApproved = "approved"
	LimitRequestRejected = "rejected"
)

// LimitRequestType is the JSON:API type of a request; LimitRequestIDPrefix starts its id.
const (
	LimitRequestType     = "transactionLimitsUpdateRequest"
	LimitRequestIDPrefix = "transaction_limits_update_request_"
)

// LimitRequest is a stored limits update request.
type LimitRequest struct {
	ID, AccountID, ProfileID string
	Status                   string
	SourceOfWealth           json.RawMessage // as sent, checked
	Granted                  *Amount         // the limit an approval granted
	CreatedAt, UpdatedAt     time.Time
}

// LimitDecision is compliance's answer to a request.
type LimitDecision struct {
	Status  string
	Granted Amount // approved only
}

// LimitRequestResource is a request as the API shows it (the published members).
type LimitRequestResource struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Attributes struct {
		Status            string    `json:"status"`
		CustomerProfileID string    `json:"customerProfileId"`
		CreatedAt         time.Time `json:"createdAt"`
		UpdatedAt         time.Time `json:"updatedAt"`
	} `json:"attributes"`
}

// LimitRequestDocument carries one request; LimitRequestList several (the published list,
// and the sandbox decision's answer, which is published as a list of one).
type LimitRequestDocument struct {
	Data LimitRequestResource `json:"data"`
}

type LimitRequestList struct {
	Data []LimitRequestResource `json:"data"`
}

// NewLimitRequestResource builds the resource of r.
func NewLimitRequestResource(r *LimitRequest) LimitRequestResource {
	res := LimitRequestResource{ID: r.ID, Type: LimitRequestType}
	a := &res.Attributes
	a.Status, a.CustomerProfileID, a.CreatedAt, a.UpdatedAt = r.Status, r.ProfileID, second(r.CreatedAt), second(r.UpdatedAt)
	return res
}

// Decide applies d to a pending request at now.
func (r *LimitRequest) Decide(d LimitDecision, now time.Time) error {
	if r.Status != LimitRequestPending {
		return NotAllowed("Invalid state transition from " + r.Status + " to " + d.Status + ": the request was decided already")
	}
	r.Status, r.UpdatedAt = d.Status, now
	if d.Status == LimitRequestApproved {
		granted := d.Granted
		r.Granted = &granted
	}
	return nil
}

// LimitRequestNotFound answers an unknown request, or one of another profile. Not
// published: the record-not-found class, as for an unknown RFI.
func LimitRequestNotFound() *Error {
	return ErrLimitRequestNotFound.New()
}

// LimitRequestPendingAlready refuses a second pending request for one profile.
func LimitRequestPendingAlready(id string) *Error {
	return NotAllowed("A transaction limits update request is already pending for this customer profile (" + id + ")")
}
