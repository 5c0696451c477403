package server

import (
	"net/http"

	"github.com/openkyc/kyc"
)

// getWebhook is GET /v1/webhooks: the account's callback URLs, every event name present.
func (s *Server) getWebhook(_ http.ResponseWriter, r *http.Request) (any, error) {
	w, err := s.db.FindWebhook(r.Context(), accountFrom(r).ID)
	if err != nil {
		return nil, err
	}
	return kyc.NewWebhookDocument(w), nil
}

// updateWebhook is PATCH /v1/webhooks: only the events named change; null removes one.
func (s *Server) updateWebhook(w http.ResponseWriter, r *http.Request) (any, error) {
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	change, err := kyc.DecodeWebhookChange(body, s.env == Production)
	if err != nil {
		return nil, err
	}
	hook, err := s.db.UpdateWebhook(r.Context(), accountFrom(r).ID, change)
	if err != nil {
		return nil, err
	}
	return kyc.NewWebhookDocument(hook), nil
}
