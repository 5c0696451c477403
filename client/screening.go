package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/openkyc/kyc"
)

// Lists returns the active snapshot of each sanctions list (GET /screening/lists), an
// addition of this server.
func (c *Client) Lists(ctx context.Context) ([]kyc.ListSnapshot, error) {
	var doc struct {
		Data []struct {
			Attributes kyc.ListSnapshot `json:"attributes"`
		} `json:"data"`
	}
	if err := c.Do(ctx, http.MethodGet, "/screening/lists", nil, &doc); err != nil {
		return nil, err
	}
	out := make([]kyc.ListSnapshot, len(doc.Data))
	for i, d := range doc.Data {
		out[i] = d.Attributes
	}
	return out, nil
}

// ScreenName screens one name against the server's active lists (POST /screening/search),
// an addition of this server.
func (c *Client) ScreenName(ctx context.Context, q kyc.ScreeningQuery) (*kyc.ScreeningResult, error) {
	body, err := json.Marshal(q)
	if err != nil {
		return nil, fmt.Errorf("client: encode screening query: %w", err)
	}
	var doc struct {
		Data struct {
			Attributes kyc.ScreeningResult `json:"attributes"`
		} `json:"data"`
	}
	if err := c.Do(ctx, http.MethodPost, "/screening/search", body, &doc); err != nil {
		return nil, err
	}
	return &doc.Data.Attributes, nil
}

// ProfileScreening returns the latest screening of a profile
// (GET /kyc/customer_profiles/{id}/screening), an addition of this server.
func (c *Client) ProfileScreening(ctx context.Context, profileID string) (*kyc.ProfileScreening, error) {
	var doc struct {
		Data struct {
			Attributes kyc.ProfileScreening `json:"attributes"`
		} `json:"data"`
	}
	if err := c.Do(ctx, http.MethodGet, "/kyc/customer_profiles/"+url.PathEscape(profileID)+"/screening", nil, &doc); err != nil {
		return nil, err
	}
	return &doc.Data.Attributes, nil
}
