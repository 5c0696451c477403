package server

import (
	"net/http"

	"github.com/openkyc/kyc"
)

// snapshotResource is one list snapshot in JSON:API form.
type snapshotResource struct {
	ID         string           `json:"id"`
	Type       string           `json:"type"`
	Attributes kyc.ListSnapshot `json:"attributes"`
}

// getLists is GET /v1/screening/lists: the active snapshot of each list. The lists are the
// service's, the same for every account.
func (s *Server) getLists(_ http.ResponseWriter, r *http.Request) (any, error) {
	snaps, err := s.db.FindActiveLists(r.Context())
	if err != nil {
		return nil, err
	}
	data := make([]snapshotResource, len(snaps))
	for i, snap := range snaps {
		data[i] = snapshotResource{ID: snap.ID, Type: "list_snapshot", Attributes: snap}
	}
	return map[string]any{"data": data}, nil
}
