package server

import "net/http"

// route is one entry of the route table. The OpenAPI document is checked against this table
// in both directions by a test, so the two cannot drift apart.
type route struct {
	pattern string // method and path, as for http.ServeMux
	public  bool   // served without an API key
	handler http.Handler
}

// routeTable is the whole API on one screen.
func (s *Server) routeTable() []route {
	return []route{
		{pattern: "GET /healthz", public: true, handler: http.HandlerFunc(s.healthz)},
		{pattern: "GET /readyz", public: true, handler: http.HandlerFunc(s.readyz)},
		{pattern: "GET /openapi.yaml", public: true, handler: http.HandlerFunc(serveOpenAPI)},
		{pattern: "GET /v1/authorize/hello", handler: s.json(s.hello)},
		{pattern: "POST /v1/kyc/customer_profiles", handler: s.json(s.createProfile)},
		{pattern: "GET /v1/kyc/customer_profiles/{id}", handler: s.json(s.getProfile)},
		{pattern: "GET /v1/kyc/customer_profiles", handler: s.json(s.listProfiles)},
		{pattern: "PATCH /v1/kyc/customer_profiles/{id}", handler: s.json(s.updateProfile)},
		{pattern: "PUT /v1/kyc/customer_profiles/{id}", handler: s.json(s.updateProfile)},
		{pattern: "GET /v1/kyc/customer_profiles/{id}/history", handler: s.json(s.profileHistory)},
		{pattern: "PUT /v1/sandbox/kyc/customer_profiles/{id}", handler: s.json(s.sandboxDecide)},
		{pattern: "PATCH /v1/sandbox/kyc/customer_profiles/{id}", handler: s.json(s.sandboxDecide)},
		{pattern: "GET /v1/webhooks", handler: s.json(s.getWebhook)},
		{pattern: "PATCH /v1/webhooks", handler: s.json(s.updateWebhook)},
		{pattern: "GET /v1/webhook-events", handler: s.json(s.listWebhookEvents)},
		{pattern: "POST /v1/webhook-events/{id}/resend", handler: s.json(s.resendWebhookEvent)},
		{pattern: "POST /v1/webhook-events/{event_type}/resend/{triggerable_id}", handler: s.jsonStatus(http.StatusAccepted, s.resendByType)},
		{pattern: "GET /v1/customer_profile/{cp_id}/rfi-requests", handler: s.json(s.listRFIs)},
		{pattern: "GET /v1/customer_profile/{cp_id}/rfi-requests/{rfi_id}", handler: s.json(s.getRFI)},
		{pattern: "PUT /v1/customer_profile/{cp_id}/rfi-requests/{rfi_id}", handler: s.json(s.submitRFI)},
		{pattern: "POST /v1/sandbox/customer_profile/{cp_id}/rfi-requests", handler: s.json(s.sandboxCreateRFI)},
		{pattern: "PUT /v1/sandbox/customer_profile/{cp_id}/rfi-requests/{rfi_id}/transition", handler: s.json(s.sandboxTransitionRFI)},
		{pattern: "GET /v1/customer_profile/{customer_profile_id}/transaction-limits", handler: s.json(s.getLimits)},
		{pattern: "POST /v1/customer_profile/{customer_profile_id}/transaction-limits/usage", handler: s.json(s.recordUsage)},
		{pattern: "POST /v1/customer_profile/{customer_profile_id}/transaction-limits-update-requests", handler: s.json(s.createLimitRequest)},
		{pattern: "GET /v1/customer_profile/{customer_profile_id}/transaction-limits-update-requests", handler: s.json(s.listLimitRequests)},
		{pattern: "GET /v1/customer_profile/{customer_profile_id}/transaction-limits-update-requests/{unique_id}", handler: s.json(s.getLimitRequest)},
		{pattern: "PUT /v1/sandbox/customer_profile/{customer_profile_id}/transaction-limits-update-requests/{unique_id}", handler: s.json(s.sandboxDecideLimitRequest)},
		{pattern: "GET /v1/screening/lists", handler: s.json(s.getLists)},
		{pattern: "POST /v1/screening/search", handler: s.json(s.searchScreening)},
	}
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routeTable() {
		h := rt.handler
		if !rt.public {
			h = s.authenticate(s.verifySignatures(s.idempotent(h)))
		}
		mux.Handle(rt.pattern, recordRoute(h))
	}
	mux.Handle("/", s.unmatched(mux))
	return mux
}
