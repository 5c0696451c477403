package server

import (
	"net/http"

	"github.com/openkyc/kyc"
)

// closeProfile is POST /v1/kyc/customer_profiles/{id}/close: the business relationship
// ended now; the retention period before erasure counts from here.
func (s *Server) closeProfile(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := s.db.CloseProfile(r.Context(), accountFrom(r).ID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.profileResponse(w, p)
}

// eraseProfile is DELETE /v1/kyc/customer_profiles/{id}: the profile's personal data is
// erased once the retention period after closing has passed and no legal hold is set; the
// answer is its tombstone. Only an operator may erase earlier (kyc profile erase --force).
func (s *Server) eraseProfile(_ http.ResponseWriter, r *http.Request) (any, error) {
	acct := accountFrom(r)
	req := kyc.ErasureRequest{Erasure: kyc.Erasure{By: acct.ID}, Retention: s.retention}
	p, err := s.db.EraseProfile(r.Context(), acct.ID, r.PathValue("id"), req)
	if err != nil {
		return nil, err
	}
	return s.tombstone(r, p)
}

// tombstone is the document of an erased profile, its status history included.
func (s *Server) tombstone(r *http.Request, p *kyc.Profile) (any, error) {
	history, err := s.db.FindProfileHistory(r.Context(), p.AccountID, p.ID)
	if err != nil {
		return nil, err
	}
	return kyc.NewTombstone(p, history), nil
}
