package server

import (
	"net/http"

	"github.com/openkyc/kyc"
)

// profileHistory is GET /v1/kyc/customer_profiles/{id}/history: every status change of
// the profile, oldest first, its creation included.
func (s *Server) profileHistory(_ http.ResponseWriter, r *http.Request) (any, error) {
	history, err := s.db.FindProfileHistory(r.Context(), accountFrom(r).ID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return kyc.History{Data: history}, nil
}

// sandboxDecide is PUT and PATCH /v1/sandbox/kyc/customer_profiles/{id}: in sandbox, the
// caller plays the reviewer. In production the route answers 405 STXE-6000, as published,
// rather than 404: the caller learns why.
func (s *Server) sandboxDecide(w http.ResponseWriter, r *http.Request) (any, error) {
	if s.env != Sandbox {
		return nil, kyc.ErrSandboxOnly.New()
	}
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	d, err := kyc.DecodeDecision(body)
	if err != nil {
		return nil, err
	}
	p, err := s.db.DecideProfile(r.Context(), accountFrom(r).ID, r.PathValue("id"), d,
		kyc.Actor{Type: kyc.ActorSandbox})
	if err != nil {
		return nil, err
	}
	return s.profileResponse(w, p)
}
