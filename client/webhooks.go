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
// The endpoint is this server's addition.
func (c *Client) WebhookEvents(ctx context.Context, state string) ([]kyc.WebhookEvent, error) {
	path := "/webhook-events"
	if state != "" {
		path += "?state=" + url.QueryEscape(state)
	}
	var list kyc.WebhookEventList
	if err := c.Do(ctx, http.MethodGet, path, nil, &list); err != nil {
		return nil, err
	}
	return list.Data, nil
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
