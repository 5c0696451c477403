package server

import (
	"errors"
	"net/http"
	"slices"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// eventStates are the values of GET /v1/webhook-events?state=.
var eventStates = []string{kyc.EventPending, kyc.EventDelivered, kyc.EventFailed}

// eventParams are the query parameters of GET /v1/webhook-events.
var eventParams = queryParams[store.EventQuery]{
	"state": func(q *store.EventQuery, v string) string {
		if !slices.Contains(eventStates, v) {
			return "state must be pending, delivered or failed"
		}
		q.State = v
		return ""
	},
	"page[size]": pageSize(func(q *store.EventQuery) *int { return &q.Limit }),
	"page[before]": func(q *store.EventQuery, v string) string {
		if v == "" || len(v) > 100 {
			return "page[before] is not a cursor of this list: take it from links.next"
		}
		q.Before = v
		return ""
	},
}

// listWebhookEvents is GET /v1/webhook-events: a page of the account's events, newest
// first, with their attempts (100 by default, so that a client written before paging sees
// the same); ?state= keeps one state. Every problem with the query is reported at once.
func (s *Server) listWebhookEvents(_ http.ResponseWriter, r *http.Request) (any, error) {
	q := store.EventQuery{AccountID: accountFrom(r).ID, Limit: store.MaxEventsListed}
	values, err := eventParams.parse(r, &q)
	if err != nil {
		return nil, err
	}
	events, err := s.db.FindWebhookEventPage(r.Context(), q)
	if errors.Is(err, store.ErrNoCursor) {
		return nil, kyc.Validation([]kyc.FieldError{kyc.Invalid("page[before]", "%s", "page[before] is not a cursor of this list: take it from links.next")})
	}
	if err != nil {
		return nil, err
	}
	next := ""
	if len(events) == q.Limit {
		next = events[len(events)-1].ID
	}
	out := kyc.WebhookEventList{Data: events}
	out.Meta.Page = kyc.PageMeta{Size: q.Limit, Count: len(events)}
	out.Links = cursorLinks(r, values, "page[before]", next)
	return out, nil
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
