package server

import (
	"net/http"

	"github.com/openkyc/kyc"
)

// route is one entry of the route table. The OpenAPI document is checked against this table
// in both directions by a test, so the two cannot drift apart.
type route struct {
	pattern string // method and path, as for http.ServeMux
	public  bool   // served without an API key
	health  bool   // a health check: never refused for load (see bounded)
	action  string // the audited action (kyc.Audit…) of a route that reads or changes personal data
	handler http.Handler
}

// routeTable is the whole API on one screen.
func (s *Server) routeTable() []route {
	return []route{
		{pattern: "GET /healthz", public: true, health: true, handler: http.HandlerFunc(s.healthz)},
		{pattern: "GET /readyz", public: true, health: true, handler: http.HandlerFunc(s.readyz)},
		{pattern: "GET /openapi.yaml", public: true, handler: http.HandlerFunc(serveOpenAPI)},
		{pattern: "GET /v1/authorize/hello", handler: s.json(s.hello)},
		{pattern: "POST /v1/kyc/customer_profiles", action: kyc.AuditProfileCreate, handler: s.json(s.createProfile)},
		{pattern: "GET /v1/kyc/customer_profiles/{id}", action: kyc.AuditProfileGet, handler: s.json(s.getProfile)},
		{pattern: "GET /v1/kyc/customer_profiles", action: kyc.AuditProfileList, handler: s.json(s.listProfiles)},
		{pattern: "PATCH /v1/kyc/customer_profiles/{id}", action: kyc.AuditProfileUpdate, handler: s.json(s.updateProfile)},
		{pattern: "PUT /v1/kyc/customer_profiles/{id}", action: kyc.AuditProfileUpdate, handler: s.json(s.updateProfile)},
		{pattern: "POST /v1/kyc/customer_profiles/{id}/close", action: kyc.AuditProfileClose, handler: s.json(s.closeProfile)},
		{pattern: "DELETE /v1/kyc/customer_profiles/{id}", action: kyc.AuditProfileErase, handler: s.json(s.eraseProfile)},
		{pattern: "GET /v1/kyc/customer_profiles/{id}/history", action: kyc.AuditProfileHistory, handler: s.json(s.profileHistory)},
		{pattern: "GET /v1/kyc/customer_profiles/{id}/screening", action: kyc.AuditScreeningView, handler: s.json(s.profileScreening)},
		{pattern: "PUT /v1/sandbox/kyc/customer_profiles/{id}", action: kyc.AuditProfileDecide, handler: s.json(s.sandboxDecide)},
		{pattern: "PATCH /v1/sandbox/kyc/customer_profiles/{id}", action: kyc.AuditProfileDecide, handler: s.json(s.sandboxDecide)},
		{pattern: "GET /v1/webhooks", handler: s.json(s.getWebhook)},
		{pattern: "PATCH /v1/webhooks", handler: s.json(s.updateWebhook)},
		{pattern: "GET /v1/webhook-events", action: kyc.AuditWebhookEvents, handler: s.json(s.listWebhookEvents)},
		{pattern: "POST /v1/webhook-events/{id}/resend", action: kyc.AuditWebhookResend, handler: s.json(s.resendWebhookEvent)},
		{pattern: "POST /v1/webhook-events/{event_type}/resend/{triggerable_id}", action: kyc.AuditWebhookResend, handler: s.jsonStatus(http.StatusAccepted, s.resendByType)},
		{pattern: "GET /v1/customer_profile/{cp_id}/rfi-requests", action: kyc.AuditRFIList, handler: s.json(s.listRFIs)},
		{pattern: "GET /v1/customer_profile/{cp_id}/rfi-requests/{rfi_id}", action: kyc.AuditRFIGet, handler: s.json(s.getRFI)},
		{pattern: "PUT /v1/customer_profile/{cp_id}/rfi-requests/{rfi_id}", action: kyc.AuditRFISubmit, handler: s.json(s.submitRFI)},
		{pattern: "POST /v1/sandbox/customer_profile/{cp_id}/rfi-requests", action: kyc.AuditRFICreate, handler: s.json(s.sandboxCreateRFI)},
		{pattern: "PUT /v1/sandbox/customer_profile/{cp_id}/rfi-requests/{rfi_id}/transition", action: kyc.AuditRFITransition, handler: s.json(s.sandboxTransitionRFI)},
		{pattern: "GET /v1/customer_profile/{customer_profile_id}/transaction-limits", action: kyc.AuditLimitsGet, handler: s.json(s.getLimits)},
		{pattern: "POST /v1/customer_profile/{customer_profile_id}/transaction-limits/usage", action: kyc.AuditLimitsUsage, handler: s.json(s.recordUsage)},
		{pattern: "POST /v1/customer_profile/{customer_profile_id}/transaction-limits-update-requests", action: kyc.AuditLimitRequest, handler: s.json(s.createLimitRequest)},
		{pattern: "GET /v1/customer_profile/{customer_profile_id}/transaction-limits-update-requests", action: kyc.AuditLimitRequests, handler: s.json(s.listLimitRequests)},
		{pattern: "GET /v1/customer_profile/{customer_profile_id}/transaction-limits-update-requests/{unique_id}", action: kyc.AuditLimitRequestGet, handler: s.json(s.getLimitRequest)},
		{pattern: "PUT /v1/sandbox/customer_profile/{customer_profile_id}/transaction-limits-update-requests/{unique_id}", action: kyc.AuditLimitDecide, handler: s.json(s.sandboxDecideLimitRequest)},
		{pattern: "GET /v1/screening/lists", handler: s.json(s.getLists)},
		{pattern: "GET /v1/audit-events", action: kyc.AuditLogRead, handler: s.json(s.listAuditEvents)},
		{pattern: "POST /v1/screening/search", action: kyc.AuditScreeningSearch, handler: s.json(s.searchScreening)},
	}
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routeTable() {
		h := rt.handler
		if rt.action != "" && !s.noAudit {
			h = s.audited(rt.action, h)
		}
		if !rt.public {
			h = s.authenticate(s.limitAccount(s.verifySignatures(s.idempotent(rt.action, h))))
		}
		if !rt.health {
			h = s.bounded(s.boundDB(h))
		}
		mux.Handle(rt.pattern, recordRoute(h))
	}
	if s.console != nil {
		mux.Handle("/console/", recordRoute(s.bounded(s.boundDB(s.console))))
	}
	mux.Handle("/", s.unmatched(mux))
	return mux
}
