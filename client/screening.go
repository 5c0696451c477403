package client

import (
	"context"
	"net/http"

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
