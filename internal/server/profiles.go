package server

import (
	"net/http"

	"github.com/openkyc/kyc"
)

// createProfile is POST /v1/kyc/customer_profiles. The 200 is written only after the store
// has committed the profile durably.
func (s *Server) createProfile(w http.ResponseWriter, r *http.Request) (any, error) {
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	acct := accountFrom(r)
	kind, data, err := s.catalog.Decode(acct.Model, body, s.now())
	if err != nil {
		return nil, err
	}
	a, err := s.assess(r.Context())
	if err != nil {
		return nil, err
	}
	p, err := s.db.CreateAssessedProfile(r.Context(), acct.ID, kind, data, a)
	if err != nil {
		return nil, err
	}
	return s.profileResponse(w, p)
}

// getProfile is GET /v1/kyc/customer_profiles/{id}; another account's id is "not found".
// The attributes are answered as stored, never decoded (store.FindProfileEncoded).
func (s *Server) getProfile(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := s.db.FindProfileEncoded(r.Context(), accountFrom(r).ID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if p.ErasedAt != nil {
		return s.tombstone(r, p)
	}
	return s.profileResponse(w, p)
}

// document is the document of p, read with its data or only to be shown (Encoded alone).
func (s *Server) document(p *kyc.Profile) (kyc.Document, error) {
	warnings, err := s.catalog.ProfileWarnings(p)
	return kyc.NewDocument(p, warnings), err
}
