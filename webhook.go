package kyc

import (
	"encoding/json"
	"net"
	"net/url"
	"slices"
	"time"
)

// The events this service delivers: a profile became verified or rejected; an RFI changed
// status; a limits update request was decided; an approval raised a profile's limits; a
// re-screening changed a profile's matches.
const (
	EventVerificationStatusUpdated           = "cpVerificationStatusUpdated"
	EventRFIStatusUpdated                    = "cpRfiStatusUpdated"
	EventTxnLimitsUpdated                    = "cpTxnLimitsUpdated"
	EventTxnLimitsUpdateRequestStatusUpdated = "cpTxnLimitsUpdateRequestStatusUpdated"
	// EventScreeningAlert is ours, not StraitsX's: a re-screening against new list snapshots
	// changed a profile's matches (COMPATIBILITY.md).
	EventScreeningAlert = "cpScreeningAlert"
)

// WebhookEvents are the event names the contract publishes. Every one can be configured,
// so that a platform's existing configuration call is accepted as it is; only the four
// above are ever delivered (the others belong to payments, which this service does not
// do). See COMPATIBILITY.md.
var WebhookEvents = []string{
	"payoutStatusUpdated", "paymentStatusUpdated", "swapUpdated", "virtualAccountStatusUpdated",
	"userDepositStatusUpdated", "userWithdrawalStatusUpdated", "stablecoinDepositStatusUpdated",
	"stablecoinWithdrawalStatusUpdated", EventVerificationStatusUpdated, EventTxnLimitsUpdated,
	EventTxnLimitsUpdateRequestStatusUpdated, EventRFIStatusUpdated, "cpbaVerificationStatusUpdated",
	"cpbaCreated", "ubaCreated", "ubaVerificationStatusUpdated", "userFxPayoutStatusUpdated",
	"cpFxPayoutStatusUpdated", EventScreeningAlert,
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
// remove one. Only the events named change. The body is read strictly (DecodeObject: no
// duplicate names, which a signed body must not have two readings of). An unknown event
// name or a URL that cannot be a callback (not absolute http(s), credentials in it; http or
// an IP literal in production) is an XFE12 naming it.
func DecodeWebhookChange(body []byte, production bool) (map[string]*string, error) {
	doc, err := DecodeObject(body)
	if err != nil {
		return nil, err
	}
	data, _ := doc["data"].(map[string]any)
	attrs, ok := data["attributes"].(map[string]any)
	if !ok || len(doc) != 1 {
		return nil, BadInput(`The body must be {"data":{"attributes":{"<eventName>":"<url>"}}}`)
	}
	change := make(map[string]*string, len(attrs))
	for name, v := range attrs {
		u, err := callbackURL(name, v, production)
		if err != nil {
			return nil, err
		}
		change[name] = u
	}
	return change, nil
}

func callbackURL(name string, v any, production bool) (*string, error) {
	if !slices.Contains(WebhookEvents, name) {
		return nil, BadInput("%s is not a webhook event name", name)
	}
	if v == nil {
		return nil, nil
	}
	if u, ok := v.(string); ok && CallbackURLOK(u, production) {
		return &u, nil
	}
	if production {
		return nil, BadInput("%s must be an absolute https URL with a host name", name)
	}
	return nil, BadInput("%s must be an absolute http or https URL", name)
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

// WebhookEventList is the body of GET /v1/webhook-events: a page of events, newest first,
// and the links to the first and the next page.
type WebhookEventList struct {
	Data  []WebhookEvent  `json:"data"`
	Meta  CollectionMeta  `json:"meta"`
	Links CollectionLinks `json:"links"`
}

// WebhookEventDocument is the body of POST /v1/webhook-events/{id}/resend.
type WebhookEventDocument struct {
	Data WebhookEvent `json:"data"`
}
