package kyc

import "time"

// AuditRecord is one entry of the audit log: who did what to which records, in which
// request, and how it ended. It holds no personal data: ids, names of actions and error
// codes only. Records are numbered 1, 2, 3… (Seq) and chained: Prev is the SHA-256 of the
// previous record's canonical encoding (internal/audit), and Hash that of this one, so
// that editing, removing or reordering a record breaks the chain where it happened.
type AuditRecord struct {
	Seq       int64      `json:"seq"`
	At        time.Time  `json:"at"`
	Actor     AuditActor `json:"actor"`
	Action    string     `json:"action"`
	Targets   []string   `json:"targets"` // the ids acted on (a list: the ids it returned)
	RequestID string     `json:"requestId,omitempty"`
	Outcome   string     `json:"outcome"` // AuditOK, or the error_code the request ended with
	// Counts are how many things an action over many handled (keys.rotate: data keys
	// re-wrapped; keys.encrypt: values sealed per column; webhook.purge: events deleted);
	// absent for the others.
	Counts map[string]int64 `json:"counts,omitempty"`
	Prev   string           `json:"prevHash"`
	Hash   string           `json:"hash"`
}

// AuditActor is who acted: an account through one of its API keys, an operator at the
// command line, a reviewer (CLI or console), or the service itself.
type AuditActor struct {
	Type     string `json:"type"` // one of the AuditBy… values
	ID       string `json:"id"`   // the account id, or the operator's or reviewer's name
	APIKeyID string `json:"apiKeyId,omitempty"`
}

// Actor types of the audit log.
const (
	AuditByAccount  = "account"
	AuditByOperator = "operator"
	AuditByReviewer = "reviewer"
	AuditBySystem   = "system"
)

// AuditOK is the outcome of an action that succeeded.
const AuditOK = "ok"

// Audited actions: everything that reads or changes personal data. The names are part of
// the API (GET /v1/audit-events?filter[action]=…, kyc audit export).
const (
	AuditProfileCreate   = "profile.create"
	AuditProfileGet      = "profile.get"
	AuditProfileList     = "profile.list"
	AuditProfileUpdate   = "profile.update"
	AuditProfileHistory  = "profile.history"
	AuditProfileDecide   = "profile.decide"
	AuditProfileClose    = "profile.close"
	AuditProfileErase    = "profile.erase"
	AuditProfileHold     = "profile.hold"
	AuditProfileRelease  = "profile.release"
	AuditRFIList         = "rfi.list"
	AuditRFIGet          = "rfi.get"
	AuditRFISubmit       = "rfi.submit"
	AuditRFICreate       = "rfi.create"
	AuditRFITransition   = "rfi.transition"
	AuditLimitsGet       = "limits.get"
	AuditLimitsUsage     = "limits.usage"
	AuditLimitRequest    = "limits.request"
	AuditLimitRequests   = "limits.requests.list"
	AuditLimitRequestGet = "limits.request.get"
	AuditLimitDecide     = "limits.decide"
	AuditScreeningSearch = "screening.search"
	AuditScreeningView   = "screening.view"
	AuditScreeningDecide = "screening.resolve"
	AuditWebhookEvents   = "webhook.events"
	AuditWebhookResend   = "webhook.resend"
	AuditKeysRotate      = "keys.rotate"
	AuditKeysEncrypt     = "keys.encrypt"
	AuditWebhookPurge    = "webhook.purge"
	AuditLogRead         = "audit.read"
	AuditLogExport       = "audit.export"
)

// AuditActions lists every audited action, for checking a filter.
func AuditActions() []string {
	return []string{AuditProfileCreate, AuditProfileGet, AuditProfileList, AuditProfileUpdate,
		AuditProfileHistory, AuditProfileDecide, AuditProfileClose, AuditProfileErase, AuditProfileHold,
		AuditProfileRelease, AuditRFIList, AuditRFIGet, AuditRFISubmit, AuditRFICreate, AuditRFITransition,
		AuditLimitsGet, AuditLimitsUsage, AuditLimitRequest, AuditLimitRequests, AuditLimitRequestGet,
		AuditLimitDecide, AuditScreeningSearch, AuditScreeningView, AuditScreeningDecide, AuditWebhookEvents,
		AuditWebhookResend, AuditKeysRotate, AuditKeysEncrypt, AuditWebhookPurge, AuditLogRead, AuditLogExport}
}
