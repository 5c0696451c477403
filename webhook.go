package kyc

import (
	"encoding/json"
	"net"
	"net/url"
	"slices"
	"time"
)

// EventVerificationStatusUpdated is the one event this service delivers: a profile became
// verified or rejected.
const EventVerificationStatusUpdated = "cpVerificationStatusUpdated"

// WebhookEvents are the event names the contract publishes. Every one can be configured,
// so that a platform's existing configuration call is accepted as it is; only
// EventVerificationStatusUpdated is ever delivered (the others belong to payments, which
// this service does not do). See COMPATIBILITY.md.
var WebhookEvents = []string{
	"payoutStatusUpdated", "paymentStatusUpdated", "swapUpdated", "virtualAccountStatusUpdated",
	"userDepositStatusUpdated", "userWithdrawalStatusUpdated", "stablecoinDepositStatusUpdated",
	"stablecoinWithdrawalStatusUpdated", EventVerificationStatusUpdated, "cpTxnLimitsUpdated",
	"cpTxnLimitsUpdateRequestStatusUpdated", "cpRfiStatusUpdated", "cpbaVerificationStatusUpdated",
	"cpbaCreated", "ubaCreated", "ubaVerificationStatusUpdated", "userFxPayoutStatusUpdated",
	"cpFxPayoutStatusUpdated",
}

// WebhookType is the JSON:API type of a webhook configuration.
const WebhookType = "webhook"

// Webhook is an account's webhook configuration: the callback URL of each configured event.
type Webhook struct {
	ID   string
	URLs map[string]string
}

// WebhookDocument is the JSON:API body of GET and PATCH /v1/webhooks. Every published event
// name is present in the attributes, null when not configured, as in the contract.
type WebhookDocument struct {
	Data struct {
		ID         string             `json:"id"`
		Type       string             `json:"type"`
		Attributes map[string]*string `json:"attributes"`
	} `json:"data"`
}

// NewWebhookDocument builds the document of w.
func NewWebhookDocument(w *Webhook) WebhookDocument {
	var doc WebhookDocument
	doc.Data.ID, doc.Data.Type = w.ID, WebhookType
	doc.Data.Attributes = make(map[string]*string, len(WebhookEvents))
	for _, name := range WebhookEvents {
		doc.Data.Attributes[name] = nil
		if u, ok := w.URLs[name]; ok {
			doc.Data.Attributes[name] = &u
		}
	}
	return doc
}

// DecodeWebhookChange reads the body of PATCH /v1/webhooks: event name → URL, or null to
// remove one. Only the events named change. An unknown event name or a URL that cannot be
// a callback (not absolute http(s), credentials in it; http or an IP literal in
// production) is an XFE12 naming it.
func DecodeWebhookChange(body []byte, production bool) (map[string]*string, error) {
	var in struct {
		Data struct {
			Attributes map[string]*string `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &in); err != nil || in.Data.Attributes == nil {
		return nil, BadInput(`The body must be {"data":{"attributes":{"<eventName>":"<url>"}}}`)
	}
	for name, u := range in.Data.Attributes {
		if !slices.Contains(WebhookEvents, name) {
			return nil, BadInput("%s is not a webhook event name", name)
		}
		if u != nil && !CallbackURLOK(*u, production) {
			return nil, BadInput("%s must be an absolute %s URL", name, map[bool]string{true: "https", false: "http or https"}[production])
		}
	}
	return in.Data.Attributes, nil
}

// CallbackURLOK reports whether raw may be configured as a callback URL. It is the check
// made when a URL is saved; the addresses it resolves to are checked again at every
// delivery, after DNS, since a name can be pointed elsewhere later.
func CallbackURLOK(raw string, production bool) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" || len(raw) > 2048 {
		return false
	}
	if !production {
		return u.Scheme == "http" || u.Scheme == "https"
	}
	return u.Scheme == "https" && net.ParseIP(u.Hostname()) == nil
}

// Delivery states of a webhook event.
const (
	EventPending   = "pending"
	EventDelivered = "delivered"
	EventFailed    = "failed"
)

// WebhookEvent is one event of the outbox with its delivery so far.
type WebhookEvent struct {
	ID        string    `json:"id"`
	Event     string    `json:"event"`
	ProfileID string    `json:"profileId"`
	Sequence  int       `json:"sequence"`
	State     string    `json:"state"`
	CreatedAt time.Time `json:"createdAt"`
	// NextAttemptAt is when the next attempt is due; only while pending.
	NextAttemptAt *time.Time `json:"nextAttemptAt,omitempty"`
	Attempts      []Attempt  `json:"attempts"`
	// Body is the exact bytes sent (and signed).
	Body json.RawMessage `json:"body"`
}

// Attempt is one delivery attempt: the receiver's status code, or why there was none.
type Attempt struct {
	At         time.Time `json:"at"`
	StatusCode int       `json:"statusCode,omitempty"`
	Error      string    `json:"error,omitempty"`
	LatencyMS  int64     `json:"latencyMs"`
}

// WebhookEventList is the body of GET /v1/webhook-events, newest first.
type WebhookEventList struct {
	Data []WebhookEvent `json:"data"`
}

// WebhookEventDocument is the body of POST /v1/webhook-events/{id}/resend.
type WebhookEventDocument struct {
	Data WebhookEvent `json:"data"`
}
