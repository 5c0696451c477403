// Package client is the Go client of the KYC API. It talks to this project's server and,
// unchanged, to StraitsX's own API: give New the base URL with its version prefix, such as
// "http://127.0.0.1:8080/v1" or "https://api-sandbox.straitsx.com/v1".
//
// With WithSigner every request is signed with Ed25519 as StraitsX specifies: the client
// signs the exact bytes it sends, the path as it goes over the wire (version prefix
// included) and a fresh nonce and timestamp for every request, retries included.
//
// Every endpoint the server serves has a method, each taking a context: Hello;
// CreateProfile, CreateProfileJSON and GetProfile; ListProfiles for one page and
// AllProfiles for every page, by cursor; UpdateProfile and UpdateProfileJSON (a JSON Merge
// Patch guarded by If-Match); ProfileHistory; and SandboxDecide. Calls that answer with a
// profile return it with its ETag. Do calls any other endpoint.
//
// WithIdempotencyKey puts an Idempotency-Key on a context, for the calls that create or
// change something: their retries then get the first answer instead of doing it twice.
//
// Errors the server answers with come back as *kyc.Error, rebuilt from the response, with
// the same Status, Code and Message the server sent.
package client

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/httpsig"
)

// maxResponse bounds what the client reads of a response.
const maxResponse = 8 << 20

// Client calls the API. It is safe for concurrent use.
type Client struct {
	base   string // without a trailing slash
	apiKey string
	http   *http.Client
	signer *httpsig.Signer
	now    func() time.Time
	nonce  func() string
}

// Option configures a Client.
type Option func(*Client)

// New returns a client for the API at baseURL (with its version prefix) that
// authenticates with apiKey.
func New(baseURL, apiKey string, opts ...Option) *Client {
	c := &Client{
		base: strings.TrimRight(baseURL, "/"), apiKey: apiKey,
		http: http.DefaultClient, now: time.Now, nonce: httpsig.NewNonce,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// WithSigner signs every request with key, the private half of the public key the server
// knows as keyID.
func WithSigner(keyID string, key ed25519.PrivateKey) Option {
	return func(c *Client) { c.signer = &httpsig.Signer{KeyID: keyID, Key: key} }
}

// WithHTTPClient sends the requests through hc instead of http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.http = hc }
}

// WithClock takes signature timestamps from now instead of time.Now; useful when the
// local clock is known to be off, and in tests.
func WithClock(now func() time.Time) Option {
	return func(c *Client) { c.now = now }
}

// WithNonces takes signature nonces from next instead of random UUIDs. Each must be a
// UUID never used before; this exists for tests.
func WithNonces(next func() string) Option {
	return func(c *Client) { c.nonce = next }
}

// Hello calls GET /authorize/hello, which tests the connection and the credentials, and
// returns its message ("Hello world").
func (c *Client) Hello(ctx context.Context) (string, error) {
	var out struct {
		Msg string `json:"msg"`
	}
	err := c.Do(ctx, http.MethodGet, "/authorize/hello", nil, &out)
	return out.Msg, err
}

// Do calls any endpoint: path is relative to the base URL and may carry a query, exactly
// as it is to be sent ("/kyc/customer_profiles?filter%5Bstatus%5D=pending"); a non-nil body
// is sent as JSON. A success (200, 201, 202, or 204 without a body) is decoded into out
// unless out is nil or the body is empty (StraitsX's 202s have none); any other status is
// returned as a *kyc.Error.
func (c *Client) Do(ctx context.Context, method, path string, body []byte, out any) error {
	_, err := c.call(ctx, method, path, nil, body, out)
	return err
}

// call is Do with extra request headers (never signed: the scheme covers none), returning
// the response's headers.
func (c *Client) call(ctx context.Context, method, path string, header http.Header, body []byte, out any) (http.Header, error) {
	req, err := c.newRequest(ctx, method, path, header, body)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("client: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return nil, fmt.Errorf("client: %s %s: read response: %w", method, path, err)
	}
	if !success(resp.StatusCode) {
		return nil, kyc.ParseError(resp.StatusCode, data)
	}
	if out != nil && len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return nil, fmt.Errorf("client: %s %s: decode response: %w", method, path, err)
		}
	}
	return resp.Header, nil
}

// success reports whether a status is a success: this server answers 200, as StraitsX
// documents; StraitsX's API reference also shows 201, 202 and 204 (without a body) for
// some calls, and the client must not turn those into errors.
func success(status int) bool {
	switch status {
	case http.StatusOK, http.StatusCreated, http.StatusAccepted, http.StatusNoContent:
		return true
	}
	return false
}

// newRequest builds the request and signs it. The canonical string is made from the
// request target the HTTP client will send (req.URL.RequestURI) and the body bytes given,
// so what is signed is what goes over the wire.
func (c *Client) newRequest(ctx context.Context, method, path string, header http.Header, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("X-XFERS-APP-API-KEY", c.apiKey)
	req.Header.Set("Accept", "application/json")
	if err := setIdempotencyKey(req); err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.signer != nil {
		ts := strconv.FormatInt(c.now().Unix(), 10)
		m := httpsig.ForRequest(req, ts, c.nonce(), body)
		for k, v := range c.signer.Headers(m) {
			req.Header[k] = v
		}
	}
	return req, nil
}

// ParsePrivateKey reads an Ed25519 private key from a PKCS#8 PEM file, as written by
// `openssl genpkey -algorithm ed25519` or `kyc keygen`, for WithSigner.
func ParsePrivateKey(pemBytes []byte) (ed25519.PrivateKey, error) {
	return httpsig.ParsePrivateKey(pemBytes)
}
