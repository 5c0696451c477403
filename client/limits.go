package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/openkyc/kyc"
)

func limitsPath(profileID string) string {
	return "/customer_profile/" + url.PathEscape(profileID) + "/transaction-limits"
}

// Limits reads a CP+ profile's transaction limits (GET …/transaction-limits).
func (c *Client) Limits(ctx context.Context, profileID string) (*kyc.LimitsDocument, error) {
	var doc kyc.LimitsDocument
	if err := c.Do(ctx, http.MethodGet, limitsPath(profileID), nil, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// RecordUsage records a payment or payout (kyc.UsagePayment, kyc.UsagePayout) of amount
// dollars against the limits, once per reference, and returns the limits after it. It is
// this server's addition.
func (c *Client) RecordUsage(ctx context.Context, profileID, kind, amount, reference string) (*kyc.LimitsDocument, error) {
	body, err := attributesBody(map[string]string{"type": kind, "amount": amount, "reference": reference})
	if err != nil {
		return nil, err
	}
	var doc kyc.LimitsDocument
	if err := c.Do(ctx, http.MethodPost, limitsPath(profileID)+"/usage", body, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// RequestLimitsUpdate asks for higher limits with evidence of the customer's wealth: the
// published sourceOfWealth object, e.g. {"employmentIncome":{"document":"https://…"}}.
func (c *Client) RequestLimitsUpdate(ctx context.Context, profileID string, sourceOfWealth json.RawMessage) (*kyc.LimitRequestDocument, error) {
	body, err := attributesBody(map[string]json.RawMessage{"sourceOfWealth": sourceOfWealth})
	if err != nil {
		return nil, err
	}
	var doc kyc.LimitRequestDocument
	if err := c.Do(ctx, http.MethodPost, limitsPath(profileID)+"-update-requests", body, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// LimitsUpdateRequests lists a profile's limits update requests, newest first.
func (c *Client) LimitsUpdateRequests(ctx context.Context, profileID string) (*kyc.LimitRequestList, error) {
	var list kyc.LimitRequestList
	if err := c.Do(ctx, http.MethodGet, limitsPath(profileID)+"-update-requests", nil, &list); err != nil {
		return nil, err
	}
	return &list, nil
}

// LimitsUpdateRequest reads one limits update request.
func (c *Client) LimitsUpdateRequest(ctx context.Context, profileID, id string) (*kyc.LimitRequestDocument, error) {
	var doc kyc.LimitRequestDocument
	if err := c.Do(ctx, http.MethodGet, limitsPath(profileID)+"-update-requests/"+url.PathEscape(id), nil, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// SandboxDecideLimitsUpdateRequest approves (granting limit, a decimal string of dollars)
// or rejects (limit "") a pending request in sandbox. The answer is a list of one, as
// published.
func (c *Client) SandboxDecideLimitsUpdateRequest(ctx context.Context, profileID, id, status, limit string) (*kyc.LimitRequestList, error) {
	attrs := map[string]string{"status": status}
	if limit != "" {
		attrs["totalDailyTransactionLimit"] = limit
	}
	body, err := attributesBody(attrs)
	if err != nil {
		return nil, err
	}
	var list kyc.LimitRequestList
	path := "/sandbox" + limitsPath(profileID) + "-update-requests/" + url.PathEscape(id)
	if err := c.Do(ctx, http.MethodPut, path, body, &list); err != nil {
		return nil, err
	}
	return &list, nil
}
