package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// Sign is the Xfers-Signature of body: the lower-case hex HMAC-SHA256 of the exact bytes,
// keyed with the account's secret as shown to it.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// NewClient returns the client that posts events: no proxy from the environment, no
// redirect followed (a 3xx is a failed attempt, so a receiver cannot bounce us to an
// address the checks did not see) and, in production, a dialer that connects only to
// safe addresses (see Guard).
func NewClient(production bool) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DialContext = Dialer(production).DialContext
	return &http.Client{
		Transport: t,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// post makes one attempt at d. Nothing is sent without a URL or a secret: an unsigned
// event would teach receivers to accept unsigned ones.
func (w *Worker) post(ctx context.Context, d *store.Delivery) kyc.Attempt {
	a := kyc.Attempt{At: w.Now().UTC()}
	switch {
	case d.URL == "":
		a.Error = "no URL configured for " + kyc.EventVerificationStatusUpdated
		return a
	case d.Secret == "":
		a.Error = "no webhook signing secret: run kyc webhook secret rotate"
		return a
	case !kyc.CallbackURLOK(d.URL, w.Production):
		a.Error = "refused: the URL is not allowed in this environment"
		return a
	}
	start := time.Now()
	code, err := w.send(ctx, d)
	a.LatencyMS = time.Since(start).Milliseconds()
	a.StatusCode = code
	if err != nil {
		a.Error = truncate(err.Error(), 500)
	}
	return a
}

func (w *Worker) send(ctx context.Context, d *store.Delivery) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "openkyc-webhooks/1")
	req.Header.Set("Xfers-Signature", Sign(d.Secret, d.Body))
	req.Header.Set("X-Event-Id", d.EventID)
	req.Header.Set("X-Event-Sequence", strconv.Itoa(d.Sequence))
	req.Header.Set("X-Event-Type", d.Event)
	resp, err := w.Client.Do(req)
	if err != nil {
		return 0, errors.Unwrap(err) // the *url.Error's cause: the URL is known already
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	return resp.StatusCode, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
