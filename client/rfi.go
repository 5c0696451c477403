package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/openkyc/kyc"
)

// RFIOptions are the query of the RFI reads: Status keeps one status (lists only), and
// ShowAttachments shows the links of document answers.
type RFIOptions struct {
	Status          kyc.RFIStatus
	ShowAttachments bool
}

func (o RFIOptions) query() string {
	q := url.Values{}
	if o.Status != "" {
		q.Set("filter[status]", string(o.Status))
	}
	if o.ShowAttachments {
		q.Set("showAttachments", "true")
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

func rfiPath(profileID string) string {
	return "/customer_profile/" + url.PathEscape(profileID) + "/rfi-requests"
}

// RFIs lists a profile's RFIs with the published counts (GET …/rfi-requests).
func (c *Client) RFIs(ctx context.Context, profileID string, opts RFIOptions) (*kyc.RFIList, error) {
	var list kyc.RFIList
	if err := c.Do(ctx, http.MethodGet, rfiPath(profileID)+opts.query(), nil, &list); err != nil {
		return nil, err
	}
	return &list, nil
}

// RFI reads one RFI of a profile; opts.Status is not sent.
func (c *Client) RFI(ctx context.Context, profileID, rfiID string, opts RFIOptions) (*kyc.RFIDocument, error) {
	opts.Status = ""
	var doc kyc.RFIDocument
	if err := c.Do(ctx, http.MethodGet, rfiPath(profileID)+"/"+url.PathEscape(rfiID)+opts.query(), nil, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// RFIAnswer is one answer of SubmitRFI, in the published member names.
type RFIAnswer struct {
	ID              int      `json:"id"`
	ReplyType       string   `json:"replyType"`
	TextReply       string   `json:"textReply,omitempty"`
	DocumentURL     string   `json:"documentUrl,omitempty"`
	SelectedOptions []string `json:"selectedOptions,omitempty"`
	OthersDetails   string   `json:"othersDetails,omitempty"`
}

// SubmitRFI answers an RFI (PUT …/rfi-requests/{id}): every mandatory question due, at once.
func (c *Client) SubmitRFI(ctx context.Context, profileID, rfiID string, answers []RFIAnswer) (*kyc.RFISubmission, error) {
	body, err := attributesBody(map[string]any{"rfiQuestionAnswers": answers})
	if err != nil {
		return nil, err
	}
	var out kyc.RFISubmission
	if err := c.Do(ctx, http.MethodPut, rfiPath(profileID)+"/"+url.PathEscape(rfiID), body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RFIQuestion is one question of SandboxCreateRFI.
type RFIQuestion struct {
	Text     string   `json:"text"`
	Type     string   `json:"type"`
	Required bool     `json:"required"`
	Options  []string `json:"options,omitempty"`
}

// SandboxCreateRFI raises an RFI in sandbox; expiryDays 0 leaves the server's default.
func (c *Client) SandboxCreateRFI(ctx context.Context, profileID string, questions []RFIQuestion, expiryDays int) (*kyc.RFIDocument, error) {
	attrs := map[string]any{"questions": questions}
	if expiryDays != 0 {
		attrs["expiryDays"] = expiryDays
	}
	body, err := attributesBody(attrs)
	if err != nil {
		return nil, err
	}
	var doc kyc.RFIDocument
	if err := c.Do(ctx, http.MethodPost, "/sandbox"+rfiPath(profileID), body, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// SandboxTransitionRFI moves an RFI to completed or expired in sandbox.
func (c *Client) SandboxTransitionRFI(ctx context.Context, profileID, rfiID string, to kyc.RFIStatus) (*kyc.RFIDocument, error) {
	body, err := attributesBody(map[string]any{"status": to})
	if err != nil {
		return nil, err
	}
	var doc kyc.RFIDocument
	path := "/sandbox" + rfiPath(profileID) + "/" + url.PathEscape(rfiID) + "/transition"
	if err := c.Do(ctx, http.MethodPut, path, body, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// attributesBody wraps attrs as {"data":{"attributes":…}}.
func attributesBody(attrs any) ([]byte, error) {
	body, err := json.Marshal(map[string]any{"data": map[string]any{"attributes": attrs}})
	if err != nil {
		return nil, fmt.Errorf("client: encode body: %w", err)
	}
	return body, nil
}
