package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/openkyc/kyc"
)

// Profile is a profile document with the version the server sent in its ETag header.
type Profile struct {
	kyc.Document

	// ETag is the profile's version as a strong entity tag, quotes included (`"3"`). Pass it
	// to UpdateProfile as ifMatch, so that a change made by someone else in between gives
	// 412 instead of being overwritten.
	ETag string `json:"-"`

	// Replayed is true when the answer is the kept answer of an earlier call with the same
	// Idempotency-Key (WithIdempotencyKey), sent again rather than done again.
	Replayed bool `json:"-"`
}

// CreateProfile creates a profile from a typed body: *kyc.Personal (personal CP+),
// *kyc.Business (business CP+), *kyc.PersonalCPProfile or *kyc.BusinessCPProfile (regular
// CP). The account's integration model must be the body's: a CP+ body sent to a CP
// account is refused with a message that says so. Read the answer's data back with
// p.Data.Attributes.Decode into the same type.
func (c *Client) CreateProfile(ctx context.Context, p kyc.Body) (*Profile, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("client: encode profile: %w", err)
	}
	return c.CreateProfileJSON(ctx, body)
}

// CreateProfileJSON creates a profile from a body the caller built, sent and signed byte
// for byte as given.
func (c *Client) CreateProfileJSON(ctx context.Context, body []byte) (*Profile, error) {
	return c.profile(ctx, http.MethodPost, "/kyc/customer_profiles", nil, body)
}

// GetProfile reads one of the account's profiles.
func (c *Client) GetProfile(ctx context.Context, id string) (*Profile, error) {
	return c.profile(ctx, http.MethodGet, profilePath(id), nil, nil)
}

// UpdateProfile changes a profile with a JSON Merge Patch (RFC 7396): patch is marshalled
// with encoding/json, so a map[string]any works best, where a nil value removes an optional
// member and a nested map merges into the stored object. ifMatch is the ETag of the version
// the change is based on; "" applies the change whatever the current version. A stale
// ifMatch is a *kyc.Error with Status 412.
func (c *Client) UpdateProfile(ctx context.Context, id string, patch any, ifMatch string) (*Profile, error) {
	body, err := json.Marshal(patch)
	if err != nil {
		return nil, fmt.Errorf("client: encode patch: %w", err)
	}
	return c.UpdateProfileJSON(ctx, id, body, ifMatch)
}

// UpdateProfileJSON is UpdateProfile with a merge patch the caller built, sent and signed
// byte for byte as given. It uses PATCH, the published verb (the server takes PUT too).
func (c *Client) UpdateProfileJSON(ctx context.Context, id string, patch []byte, ifMatch string) (*Profile, error) {
	var header http.Header
	if ifMatch != "" {
		header = http.Header{"If-Match": {ifMatch}}
	}
	return c.profile(ctx, http.MethodPatch, profilePath(id), header, patch)
}

// ProfileHistory returns every status change of a profile, oldest first, its creation
// included. The endpoint is this server's addition; StraitsX does not serve it.
func (c *Client) ProfileHistory(ctx context.Context, id string) ([]kyc.Transition, error) {
	var h kyc.History
	if err := c.Do(ctx, http.MethodGet, profilePath(id)+"/history", nil, &h); err != nil {
		return nil, err
	}
	return h.Data, nil
}

// SandboxDecide decides a profile's review as a reviewer would, through the sandbox status
// endpoint (PUT /sandbox/kyc/customer_profiles/{id}). A production server refuses it with a
// *kyc.Error of Status 405 and Code kyc.CodeSandboxOnly.
func (c *Client) SandboxDecide(ctx context.Context, id string, d kyc.Decision) (*Profile, error) {
	body, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("client: encode decision: %w", err)
	}
	return c.profile(ctx, http.MethodPut, "/sandbox"+profilePath(id), nil, body)
}

// profile makes a call that answers with one profile, and keeps its ETag.
func (c *Client) profile(ctx context.Context, method, path string, header http.Header, body []byte) (*Profile, error) {
	var p Profile
	h, err := c.call(ctx, method, path, header, body, &p.Document)
	if err != nil {
		return nil, err
	}
	p.ETag = h.Get("ETag")
	p.Replayed = h.Get(kyc.IdempotentReplayedHeader) == "true"
	return &p, nil
}

func profilePath(id string) string { return "/kyc/customer_profiles/" + url.PathEscape(id) }
