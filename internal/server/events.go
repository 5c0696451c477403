package server

import (
	"net/http"
	"slices"

	"github.com/openkyc/kyc"
)

// eventStates are the values of GET /v1/webhook-events?state=.
var eventStates = []string{kyc.EventPending, kyc.EventDelivered, kyc.EventFailed}

// listWebhookEvents is GET /v1/webhook-events: the account's latest events, newest first,
// with their attempts; ?state= keeps one state. Any other parameter is refused, as on the
// profile list, rather than ignored.
func (s *Server) listWebhookEvents(_ http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	state := q.Get("state")
	for name, values := range q {
		if name != "state" || len(values) != 1 {
			return nil, kyc.BadInput("Unknown or repeated query parameter %q: only state is accepted", name)
		}
	}
	if state != "" && !slices.Contains(eventStates, state) {
		return nil, kyc.BadInput("state must be pending, delivered or failed")
	}
	events, err := s.db.FindWebhookEvents(r.Context(), accountFrom(r).ID, state)
	if err != nil {
		return nil, err
	}
	return kyc.WebhookEventList{Data: events}, nil
}

// resendWebhookEvent is POST /v1/webhook-events/{id}/resend: the event is queued again,
// due now, with a full budget of attempts.
func (s *Server) resendWebhookEvent(_ http.ResponseWriter, r *http.Request) (any, error) {
	e, err := s.db.ResendWebhookEvent(r.Context(), accountFrom(r).ID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return kyc.WebhookEventDocument{Data: *e}, nil
}

// resendByType is POST /v1/webhook-events/{event_type}/resend/{triggerable_id}, as
// published: the latest event of the type about the object is queued again, at most once
// every 5 minutes; 202 with the event (the published body is empty).
func (s *Server) resendByType(_ http.ResponseWriter, r *http.Request) (any, error) {
	name, err := kyc.ResendEvent(r.PathValue("event_type"))
	if err != nil {
		return nil, err
	}
	e, err := s.db.ResendLatestEvent(r.Context(), accountFrom(r).ID, name, r.PathValue("triggerable_id"))
	if err != nil {
		return nil, err
	}
	return kyc.WebhookEventDocument{Data: *e}, nil
}
