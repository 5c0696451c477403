package server

import (
	"net/http"
	"slices"

	"github.com/openkyc/kyc"
)

// The RFI endpoints: the platform lists, reads and answers its customers' RFIs; in sandbox
// it also raises them and moves them on, playing compliance.

// rfiQuery reads the query of the RFI reads: showAttachments (true shows document links)
// and, when the list allows it, filter[status]. Anything else is refused, as on the
// profile list, rather than ignored.
func rfiQuery(r *http.Request, list bool) (status kyc.RFIStatus, show bool, err error) {
	for name, values := range r.URL.Query() {
		v := values[0]
		switch {
		case len(values) != 1:
			return "", false, kyc.BadInput("Query parameter %q is repeated", name)
		case name == "showAttachments":
			show = v == "true"
		case name == "filter[status]" && list && slices.Contains(kyc.RFIStatuses, kyc.RFIStatus(v)):
			status = kyc.RFIStatus(v)
		case name == "filter[status]" && list:
			return "", false, kyc.BadInput("filter[status] must be sent, received, completed or expired")
		default:
			return "", false, kyc.BadInput("Unknown query parameter %q", name)
		}
	}
	return status, show, nil
}

// listRFIs is GET /v1/customer_profile/{cp_id}/rfi-requests.
func (s *Server) listRFIs(_ http.ResponseWriter, r *http.Request) (any, error) {
	status, show, err := rfiQuery(r, true)
	if err != nil {
		return nil, err
	}
	all, err := s.db.FindRFIs(r.Context(), accountFrom(r).ID, r.PathValue("cp_id"))
	if err != nil {
		return nil, err
	}
	return kyc.NewRFIList(all, status, s.now(), show), nil
}

// getRFI is GET /v1/customer_profile/{cp_id}/rfi-requests/{rfi_id}.
func (s *Server) getRFI(_ http.ResponseWriter, r *http.Request) (any, error) {
	_, show, err := rfiQuery(r, false)
	if err != nil {
		return nil, err
	}
	rfi, err := s.db.FindRFI(r.Context(), accountFrom(r).ID, r.PathValue("cp_id"), r.PathValue("rfi_id"))
	if err != nil {
		return nil, err
	}
	return kyc.NewRFIDocument(rfi, s.now(), show), nil
}

// submitRFI is PUT /v1/customer_profile/{cp_id}/rfi-requests/{rfi_id}: every answer due,
// at once.
func (s *Server) submitRFI(w http.ResponseWriter, r *http.Request) (any, error) {
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	answers, err := kyc.DecodeRFIAnswers(body)
	if err != nil {
		return nil, err
	}
	rfi, saved, err := s.db.SubmitRFI(r.Context(), accountFrom(r).ID, r.PathValue("cp_id"), r.PathValue("rfi_id"), answers)
	if err != nil {
		return nil, err
	}
	return kyc.NewRFISubmission(rfi, saved), nil
}

// sandboxCreateRFI is POST /v1/sandbox/customer_profile/{cp_id}/rfi-requests.
func (s *Server) sandboxCreateRFI(w http.ResponseWriter, r *http.Request) (any, error) {
	if s.env != Sandbox {
		return nil, kyc.ErrSandboxOnly.New()
	}
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	req, err := kyc.DecodeRFIRequest(body)
	if err != nil {
		return nil, err
	}
	rfi, err := s.db.CreateRFI(r.Context(), accountFrom(r).ID, r.PathValue("cp_id"), req, s.rfiDays)
	if err != nil {
		return nil, err
	}
	return kyc.NewRFIDocument(rfi, s.now(), false), nil
}

// sandboxTransitionRFI is PUT /v1/sandbox/customer_profile/{cp_id}/rfi-requests/{rfi_id}/transition.
func (s *Server) sandboxTransitionRFI(w http.ResponseWriter, r *http.Request) (any, error) {
	if s.env != Sandbox {
		return nil, kyc.ErrSandboxOnly.New()
	}
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	to, err := kyc.DecodeRFITransition(body)
	if err != nil {
		return nil, err
	}
	rfi, err := s.db.TransitionRFI(r.Context(), accountFrom(r).ID, r.PathValue("cp_id"), r.PathValue("rfi_id"), to)
	if err != nil {
		return nil, err
	}
	return kyc.NewRFIDocument(rfi, s.now(), false), nil
}
