package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
)

// e2eDir holds the browser test's script and its npm packages (package-lock.json).
const e2eDir = "../../e2e"

// TestConsoleInBrowser drives the review console in headless Chromium (Playwright, with
// axe-core for accessibility; e2e/console.mjs) against `kyc serve` over TLS: enrolment,
// sign-in with TOTP, a profile with a screening hit found in the queue and its hit resolved,
// an RFI raised, a rejection with a code (whose
// webhook must arrive, and its audit record be written), a CSRF-less POST and a stolen cookie replayed after sign-out.
// It runs when KYC_TEST_BROWSER names a Chromium binary (CI sets it, after `npm ci` in e2e/);
// KYC_TEST_SCREENSHOTS names where to keep the screenshots (docs/ for the README's).
func TestConsoleInBrowser(t *testing.T) {
	chromium := os.Getenv("KYC_TEST_BROWSER")
	if chromium == "" {
		t.Skip("set KYC_TEST_BROWSER=/usr/bin/chromium (and run npm ci in e2e/) to run the review console in a real browser")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("KYC_TEST_BROWSER is set but node is not installed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(e2eDir, "node_modules", "playwright-core")); err != nil {
		t.Fatalf("KYC_TEST_BROWSER is set but e2e/ has no packages: run npm ci there (%v)", err)
	}
	hooks := make(chan []byte, 10)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		hooks <- b
	}))
	defer rcv.Close()

	certFile, keyFile, pool := selfSigned(t)
	path := dbPath(t)
	s := startServe(t, "--db", path, "--tls-cert", certFile, "--tls-key", keyFile, "--webhook-poll", "50ms")
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	c := client.New(s.base+"/v1", printedKey.FindString(s.stdout.String()), client.WithHTTPClient(hc))
	ctx := t.Context()
	u := rcv.URL
	if _, err := c.UpdateWebhook(ctx, map[string]*string{kyc.EventVerificationStatusUpdated: &u}); err != nil {
		t.Fatal(err)
	}
	if r := runKyc(t, map[string]string{"KYC_DB": path}, "webhook", "secret", "rotate", "--account", "default"); r.code != 0 {
		t.Fatalf("webhook secret rotate: %+v", r)
	}
	hitProfile := createNamed(t, c, "PETRA", "WATCHLISTER", "K1000003") // on the sandbox's fictional list
	rfiProfile := createNamed(t, c, "AMELIA", "RFI", "K1000001")
	rejected := createNamed(t, c, "BORIS", "REJECTED", "K1000002")
	r := runKyc(t, map[string]string{"KYC_DB": path}, "reviewer", "add", "--name", "E2E Reviewer", "--email", "e2e@example.com",
		"--console-url", s.base)
	link := regexp.MustCompile(`https://\S+/console/enrol/\S+`).FindString(r.stdout)
	if r.code != 0 || link == "" {
		t.Fatalf("reviewer add: %+v", r)
	}

	shots := os.Getenv("KYC_TEST_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	shots, _ = filepath.Abs(shots)
	seen := runBrowser(t, node, map[string]any{
		"base": s.base, "enrolLink": link, "email": "e2e@example.com", "password": "a long enough passphrase",
		"chromium": chromium, "userDataDir": t.TempDir(), "screenshots": shots,
		"profiles": map[string]any{
			"hit":    map[string]string{"id": hitProfile, "name": "PETRA WATCHLISTER"},
			"rfi":    map[string]string{"id": rfiProfile, "name": "AMELIA RFI"},
			"reject": map[string]string{"id": rejected, "name": "BORIS REJECTED"},
		},
	})
	t.Logf("browser: %s", seen)

	wantRejectionWebhook(t, hooks, rejected, s)
	history, err := c.ProfileHistory(ctx, rejected)
	if err != nil {
		t.Fatal(err)
	}
	if last := history[len(history)-1]; last.To != kyc.StatusRejected || last.Actor != (kyc.Actor{Type: kyc.ActorReviewer, Name: "E2E Reviewer"}) ||
		len(last.Codes) != 1 || last.Codes[0] != 101 {
		t.Errorf("history ends with %+v", last)
	}
	wantConsoleAudit(t, path, rejected)
	sc, err := c.ProfileScreening(ctx, hitProfile)
	if err != nil || len(sc.Hits) == 0 || sc.Hits[0].Resolution == nil || sc.Hits[0].Resolution.By != "E2E Reviewer" {
		t.Errorf("the hit's resolution: %+v, %v", sc, err)
	}
	rfis, err := c.RFIs(ctx, rfiProfile, client.RFIOptions{})
	if err != nil || len(rfis.Data) != 1 {
		t.Fatalf("RFIs of the profile: %+v, %v", rfis, err)
	}
}

// createNamed creates a personal CP+ profile of the sandbox account and returns its id.
func createNamed(t *testing.T, c *client.Client, first, last, passport string) string {
	t.Helper()
	body := kyctest.ValidProfile()
	body["customerFirstName"], body["customerLastName"], body["customerName"] = first, last, first+" "+last
	body["registrationId"] = passport
	p, err := c.CreateProfileJSON(t.Context(), kyctest.JSON(body))
	if err != nil {
		t.Fatal(err)
	}
	return p.Data.ID
}

// runBrowser runs e2e/console.mjs with cfg and returns what it printed; a failed step
// fails the test with the script's message.
func runBrowser(t *testing.T, node string, cfg map[string]any) string {
	t.Helper()
	b, _ := json.Marshal(cfg)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "console.mjs")
	cmd.Dir = e2eDir
	cmd.Env = append(os.Environ(), "KYC_E2E="+string(b))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var seen struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if jerr := json.Unmarshal(bytes.TrimSpace(stdout.Bytes()), &seen); jerr != nil || err != nil || !seen.OK {
		t.Fatalf("the browser test failed: %v; %s\nstdout: %s\nstderr: %s", err, seen.Error, stdout.String(), stderr.String())
	}
	return strings.TrimSpace(stdout.String())
}

func wantRejectionWebhook(t *testing.T, hooks chan []byte, id string, s *serving) {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case b := <-hooks:
			if strings.Contains(string(b), id) && strings.Contains(string(b), `"verificationStatus":"rejected"`) {
				return
			}
		case <-deadline:
			t.Fatalf("no webhook of the rejection arrived within 15s; serve logged:\n%s", s.stderr)
		}
	}
}

// wantConsoleAudit finds the rejection in the audit log (kyc audit export), by a reviewer.
func wantConsoleAudit(t *testing.T, path, profileID string) {
	t.Helper()
	r := runKyc(t, map[string]string{"KYC_DB": path}, "audit", "export")
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var rec kyc.AuditRecord
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Action == kyc.AuditProfileDecide && rec.Outcome == kyc.AuditOK &&
			rec.Actor.Type == kyc.AuditByReviewer && len(rec.Targets) > 0 && rec.Targets[0] == profileID {
			return
		}
	}
	t.Errorf("no audit record of the console's rejection of %s in:\n%s", profileID, r.stdout)
}
