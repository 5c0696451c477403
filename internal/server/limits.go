package server

import (
	"net/http"

	"github.com/openkyc/kyc"
)

// The transaction limits endpoints of a CP+ profile: its limits, the requests to raise
// them (decided by compliance, or in sandbox by the caller), and the usage a platform
// records against them.

func profileID(r *http.Request) string { return r.PathValue("customer_profile_id") }

// getLimits is GET /v1/customer_profile/{customer_profile_id}/transaction-limits.
func (s *Server) getLimits(_ http.ResponseWriter, r *http.Request) (any, error) {
	l, err := s.db.FindLimits(r.Context(), accountFrom(r).ID, profileID(r), s.limits)
	if err != nil {
		return nil, err
	}
	return kyc.NewLimitsDocument(l), nil
}

// recordUsage is POST /v1/customer_profile/{customer_profile_id}/transaction-limits/usage,
// an addition: a payment or payout recorded against the limits, once per reference.
func (s *Server) recordUsage(w http.ResponseWriter, r *http.Request) (any, error) {
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	u, err := kyc.DecodeUsage(body)
	if err != nil {
		return nil, err
	}
	l, err := s.db.RecordUsage(r.Context(), accountFrom(r).ID, profileID(r), u, s.limits)
	if err != nil {
		return nil, err
	}
	return kyc.NewLimitsDocument(l), nil
}

// createLimitRequest is POST …/transaction-limits-update-requests. The profile is read
// first: which sources of wealth are valid depends on its kind.
func (s *Server) createLimitRequest(w http.ResponseWriter, r *http.Request) (any, error) {
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	p, err := s.db.FindProfileByID(r.Context(), accountFrom(r).ID, profileID(r))
	if err != nil {
		return nil, err
	}
	sow, err := kyc.DecodeLimitRequest(body, p.Kind)
	if err != nil {
		return nil, err
	}
	req, err := s.db.CreateLimitRequest(r.Context(), p.AccountID, p.ID, sow)
	if err != nil {
		return nil, err
	}
	return kyc.LimitRequestDocument{Data: kyc.NewLimitRequestResource(req)}, nil
}

// listLimitRequests is GET …/transaction-limits-update-requests, newest first.
func (s *Server) listLimitRequests(_ http.ResponseWriter, r *http.Request) (any, error) {
	all, err := s.db.FindLimitRequests(r.Context(), accountFrom(r).ID, profileID(r))
	if err != nil {
		return nil, err
	}
	list := kyc.LimitRequestList{Data: make([]kyc.LimitRequestResource, len(all))}
	for i := range all {
		list.Data[i] = kyc.NewLimitRequestResource(&all[i])
	}
	return list, nil
}

// getLimitRequest is GET …/transaction-limits-update-requests/{unique_id}.
func (s *Server) getLimitRequest(_ http.ResponseWriter, r *http.Request) (any, error) {
	req, err := s.db.FindLimitRequest(r.Context(), accountFrom(r).ID, profileID(r), r.PathValue("unique_id"))
	if err != nil {
		return nil, err
	}
	return kyc.LimitRequestDocument{Data: kyc.NewLimitRequestResource(req)}, nil
}

// sandboxDecideLimitRequest is PUT /v1/sandbox/customer_profile/{customer_profile_id}/
// transaction-limits-update-requests/{unique_id}. Its answer is a list of one, as published.
func (s *Server) sandboxDecideLimitRequest(w http.ResponseWriter, r *http.Request) (any, error) {
	if s.env != Sandbox {
		return nil, kyc.ErrSandboxOnly.New()
	}
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	d, err := kyc.DecodeLimitDecision(body)
	if err != nil {
		return nil, err
	}
	req, err := s.db.DecideLimitRequest(r.Context(), accountFrom(r).ID, profileID(r), r.PathValue("unique_id"), d, s.limits)
	if err != nil {
		return nil, err
	}
	return kyc.LimitRequestList{Data: []kyc.LimitRequestResource{kyc.NewLimitRequestResource(req)}}, nil
}
