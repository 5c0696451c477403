package server

import (
	"context"
	"net/http"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// assess is how the store screens and rates a profile it writes: against the index of the
// active snapshots (checked now, so that the transaction itself does no I/O for it) and with
// the server's risk rules.
func (s *Server) assess(ctx context.Context) (store.Assess, error) {
	ix, err := s.lists.current(ctx, s)
	if err != nil {
		return store.Assess{}, err
	}
	return s.assessWith(ix), nil
}

// screeningResource is a profile's screening in JSON:API form.
type screeningResource struct {
	ID         string                `json:"id"`
	Type       string                `json:"type"`
	Attributes *kyc.ProfileScreening `json:"attributes"`
}

// profileScreening is GET /v1/kyc/customer_profiles/{id}/screening: the profile's latest
// screening, every hit with its list entry, score, fields and resolution.
func (s *Server) profileScreening(_ http.ResponseWriter, r *http.Request) (any, error) {
	sc, err := s.db.FindScreening(r.Context(), accountFrom(r).ID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"data": screeningResource{ID: sc.ProfileID, Type: "profile_screening", Attributes: sc}}, nil
}
