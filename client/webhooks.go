package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/openkyc/kyc"
)

// Webhook returns the account's webhook configuration (GET /webhooks): every published
// event name, with its URL or nil.
func (c *Client) Webhook(ctx context.Context) (*kyc.WebhookDocument, error) {
	var doc kyc.WebhookDocument
	if err := c.Do(ctx, http.MethodGet, "/webhooks", nil, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// UpdateWebhook sets the callback URL of the events named in urls (PATCH /webhooks); a nil
// URL removes one, and events not named keep theirs.
func (c *Client) UpdateWebhook(ctx context.Context, urls map[string]*string) (*kyc.WebhookDocument, error) {
	var in struct {
		Data struct {
			Attributes map[string]*string `json:"attributes"`
		} `json:"data"`
	}
	in.Data.Attributes = urls
	body, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("client: encode webhook: %w", err)
	}
	var doc kyc.WebhookDocument
	if err := c.Do(ctx, http.MethodPatch, "/webhooks", body, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// WebhookEvents returns the account's latest webhook events (at most 100, newest first)
// with every delivery attempt; state "" means any, else pending, delivered or failed.
// WebhookEventPage reads further pages. The endpoint is this server's addition.
func (c *Client) WebhookEvents(ctx context.Context, state string) ([]kyc.WebhookEvent, error) {
	page, err := c.WebhookEventPage(ctx, EventQuery{State: state})
	if err != nil {
		return nil, err
	}
	return page.Data, nil
}

// EventQuery picks a page of webhook events; zero values mean any state, 100 a page, the
// first page.
type EventQuery struct {
	State  string // pending, delivered or failed
	Size   int    // 1 to 100
	Before string // the NextCursor of the previous page
}

// EventPage is one page of webhook events, newest first, and the cursor of the next ("" on
// the last page).
type EventPage struct {
	kyc.WebhookEventList
	NextCursor string
}

// WebhookEventPage reads one page of the account's webhook events, with their attempts.
func (c *Client) WebhookEventPage(ctx context.Context, q EventQuery) (*EventPage, error) {
	v := url.Values{}
	for name, value := range map[string]string{"state": q.State, "page[size]": itoa(q.Size), "page[before]": q.Before} {
		if value != "" {
			v.Set(name, value)
		}
	}
	path := "/webhook-events"
	if len(v) > 0 {
		path += "?" + v.Encode()
	}
	var p EventPage
	if err := c.Do(ctx, http.MethodGet, path, nil, &p.WebhookEventList); err != nil {
		return nil, err
	}
	cursor, err := cursorOf(p.Links.Next, "page[before]")
	if err != nil {
		return nil, err
	}
	p.NextCursor = cursor
	return &p, nil
}

// ResendWebhookEvent queues an event again, due now, with a full budget of attempts.
func (c *Client) ResendWebhookEvent(ctx context.Context, id string) (*kyc.WebhookEvent, error) {
	var doc kyc.WebhookEventDocument
	if err := c.Do(ctx, http.MethodPost, "/webhook-events/"+url.PathEscape(id)+"/resend", nil, &doc); err != nil {
		return nil, err
	}
	return &doc.Data, nil
}

// ResendWebhookEventByType queues again the latest callback of eventType ("cp-verification",
// "cp-rfi", "cp-txnlimits", "cp-txnlimitsupdaterequest") about the object triggerableID
// (the profile, RFI or request id), as published: at most once every 5 minutes per object.
// StraitsX answers 202 with no body (nil, nil here); this server answers with the event.
func (c *Client) ResendWebhookEventByType(ctx context.Context, eventType, triggerableID string) (*kyc.WebhookEvent, error) {
	var doc *kyc.WebhookEventDocument
	path := "/webhook-events/" + url.PathEscape(eventType) + "/resend/" + url.PathEscape(triggerableID)
	if err := c.Do(ctx, http.MethodPost, path, nil, &doc); err != nil || doc == nil {
		return nil, err
	}
	return &doc.Data, nil
}
