package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc/internal/httpsig"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
	"github.com/openkyc/kyc/internal/store"
)

// runKycInput runs the program with stdin.
func runKycInput(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr kyctest.Buffer
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	root := newRoot(lookup, &stdout, &stderr)
	root.SetIn(strings.NewReader(stdin))
	root.SetArgs(args)
	code := 0
	if err := root.ExecuteContext(context.Background()); err != nil {
		stderr.Write([]byte("kyc: " + err.Error() + "\n"))
		code = 1
	}
	return result{code, stdout.String(), stderr.String()}
}

// headers reads the "Name: value" lines that `kyc sign` prints.
func headers(t *testing.T, out string) map[string]string {
	t.Helper()
	h := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		name, value, ok := strings.Cut(line, ": ")
		if !ok {
			t.Fatalf("not a header line: %q", line)
		}
		h[name] = value
	}
	return h
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSignReproducesOfficialVectors signs each official vector through the command's own
// code path, with a PEM key made from the vectors' seed.
func TestSignReproducesOfficialVectors(t *testing.T) {
	raw, err := os.ReadFile("../../internal/httpsig/testdata/signing-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		KeyPair struct {
			Seed string `json:"private_key_seed_hex"`
		} `json:"key_pair"`
		Vectors []struct {
			Name   string
			Inputs struct{ Method, Path, Query, Timestamp, Nonce, Body string }
			Output struct {
				Signature string `json:"signature_base64"`
			} `json:"expected_output"`
		}
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	seed, _ := hex.DecodeString(file.KeyPair.Seed)
	pemBytes, err := httpsig.MarshalPrivateKey(ed25519.NewKeyFromSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	keyFile := writeFile(t, "private.pem", pemBytes)
	for _, v := range file.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			in := v.Inputs
			target := in.Path
			if in.Query != "" {
				target += "?" + in.Query
			}
			args := []string{"sign", "--key", keyFile, "--key-id", "pk_vectors", "--timestamp", in.Timestamp, "--nonce", in.Nonce}
			if in.Body != "" {
				args = append(args, "--body", writeFile(t, "body.json", []byte(in.Body)))
			}
			r := runKyc(t, nil, append(args, in.Method, target)...)
			if r.code != 0 {
				t.Fatalf("sign: %+v", r)
			}
			want := map[string]string{
				"X-PUBLIC-KEY-ID": "pk_vectors", "X-TIMESTAMP": in.Timestamp,
				"X-NONCE": in.Nonce, "X-SIGNATURE": v.Output.Signature,
			}
			if diff := cmp.Diff(want, headers(t, r.stdout)); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
			if in.Body != "" { // the same from standard input
				r := runKycInput(t, nil, in.Body, append(args[:len(args)-1], "-", in.Method, target)...)
				if got := headers(t, r.stdout)["X-SIGNATURE"]; got != v.Output.Signature {
					t.Errorf("body from stdin: signature %s, want %s", got, v.Output.Signature)
				}
			}
		})
	}
}

func TestSignRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "k.pem")
	if r := runKyc(t, nil, "keygen", "--out", key); r.code != 0 {
		t.Fatalf("keygen: %+v", r)
	}
	base := []string{"sign", "--key", key, "--key-id", "pk_1"}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"bad timestamp", nil, []string{"--timestamp", "1700000000000", "GET", "/v1/authorize/hello"}, "--timestamp"},
		{"bad nonce", nil, []string{"--nonce", "n1", "GET", "/v1/authorize/hello"}, "--nonce"},
		{"relative path", nil, []string{"GET", "v1/authorize/hello"}, "PATH must start with /"},
		{"curl without API key", nil, []string{"--curl", "http://127.0.0.1:8080", "GET", "/v1/authorize/hello"}, "KYC_API_KEY"},
		{"curl with a path", map[string]string{"KYC_API_KEY": "k"}, []string{"--curl", "http://127.0.0.1:8080/v1", "GET", "/authorize/hello"}, "scheme and host only"},
		{"public key as private", nil, []string{"--key", key + ".pub", "GET", "/v1/authorize/hello"}, "PKCS#8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runKyc(t, tc.env, append(base, tc.args...)...)
			if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want failure mentioning %q", r.code, r.stderr, tc.want)
			}
		})
	}
}

func TestKeygen(t *testing.T) {
	dir := t.TempDir()
	priv := filepath.Join(dir, "private.pem")
	if r := runKyc(t, nil, "keygen", "--out", priv); r.code != 0 {
		t.Fatalf("keygen: %+v", r)
	}
	info, err := os.Stat(priv)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("private key mode = %v (%v), want 0600", info.Mode(), err)
	}
	privPEM, _ := os.ReadFile(priv)
	pubPEM, _ := os.ReadFile(priv + ".pub")
	key, err := httpsig.ParsePrivateKey(privPEM)
	if err != nil || !bytes.HasPrefix(privPEM, []byte("-----BEGIN PRIVATE KEY-----")) {
		t.Fatalf("private key: %v", err)
	}
	pub, err := httpsig.ParsePublicKey(pubPEM)
	if err != nil || !pub.Equal(key.Public()) {
		t.Fatalf("public key does not match the private key: %v", err)
	}
	if r := runKyc(t, nil, "keygen", "--out", priv); r.code == 0 || !strings.Contains(r.stderr, "exists") {
		t.Errorf("keygen overwrote a key: %+v", r)
	}
	custom := filepath.Join(dir, "other.pub")
	if r := runKyc(t, nil, "keygen", "--out", filepath.Join(dir, "other.pem"), "--pub-out", custom); r.code != 0 {
		t.Fatalf("keygen --pub-out: %+v", r)
	}
	if _, err := os.Stat(custom); err != nil {
		t.Errorf("--pub-out: %v", err)
	}
}

func TestPublicKeyAndSigningCommands(t *testing.T) {
	env := map[string]string{"KYC_DB": migratedDB(t)}
	var acct struct{ AccountID, APIKey string }
	r := runKyc(t, env, "account", "create", "--name", "acme", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &acct); err != nil {
		t.Fatalf("account create: %+v", r)
	}
	if r := runKyc(t, env, "signing", "enable", "--account", acct.AccountID); r.code == 0 || !strings.Contains(r.stderr, "public key") {
		t.Errorf("signing enable without a key: %+v", r)
	}
	priv := filepath.Join(t.TempDir(), "private.pem")
	runKyc(t, nil, "keygen", "--out", priv)
	pubPEM, _ := os.ReadFile(priv + ".pub")

	r = runKycInput(t, env, string(pubPEM), "publickey", "add", "--account", acct.AccountID, "--name", "laptop", "--file", "-", "--json")
	var added struct{ KeyID string }
	if err := json.Unmarshal([]byte(r.stdout), &added); err != nil || !strings.HasPrefix(added.KeyID, "pk_") {
		t.Fatalf("publickey add --json: %+v (%v)", r, err)
	}
	if r := runKyc(t, env, "publickey", "add", "--account", acct.AccountID, "--name", "again", "--file", priv); r.code == 0 || !strings.Contains(r.stderr, "private key") {
		t.Errorf("publickey add of a private key: %+v", r)
	}
	if r := runKyc(t, env, "signing", "enable", "--account", acct.AccountID); r.code != 0 {
		t.Fatalf("signing enable: %+v", r)
	}
	if r := runKyc(t, env, "publickey", "disable", added.KeyID); r.code == 0 {
		t.Errorf("the last key of a signing account was disabled: %+v", r)
	}
	r = runKyc(t, env, "publickey", "list", "--account", acct.AccountID)
	if !strings.Contains(r.stdout, added.KeyID+"\tenabled\t") || !strings.HasSuffix(r.stdout, "\tlaptop\n") {
		t.Errorf("publickey list: %+v", r)
	}

	// What `kyc sign` prints is accepted by the server.
	db, err := store.Open(context.Background(), env["KYC_DB"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	hs := httptest.NewServer(server.New(db, server.Config{Env: server.Sandbox}).Handler())
	defer hs.Close()
	r = runKyc(t, nil, "sign", "--key", priv, "--key-id", added.KeyID, "GET", "/v1/authorize/hello")
	req, _ := http.NewRequest("GET", hs.URL+"/v1/authorize/hello", nil)
	req.Header.Set("X-XFERS-APP-API-KEY", acct.APIKey)
	for k, v := range headers(t, r.stdout) {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("signed by kyc sign: %d %s", resp.StatusCode, body)
	}

	for _, step := range [][]string{
		{"signing", "disable", "--account", acct.AccountID},
		{"publickey", "disable", added.KeyID},
		{"publickey", "enable", added.KeyID},
		{"publickey", "delete", added.KeyID},
	} {
		if r := runKyc(t, env, step...); r.code != 0 {
			t.Errorf("%v: %+v", step, r)
		}
	}
	if r := runKyc(t, env, "publickey", "delete", added.KeyID); r.code == 0 || !strings.Contains(r.stderr, "Public Key Not Found") {
		t.Errorf("second delete: %+v", r)
	}
}

func TestSignCurl(t *testing.T) {
	priv := filepath.Join(t.TempDir(), "private.pem")
	runKyc(t, nil, "keygen", "--out", priv)
	body := writeFile(t, "profile.json", []byte(`{"a":"it's"}`))
	env := map[string]string{"KYC_API_KEY": "kyc_secret"}
	r := runKyc(t, env, "sign", "--key", priv, "--key-id", "pk_1", "--timestamp", "1700000000",
		"--nonce", "550e8400-e29b-41d4-a716-446655440000", "--body", body, "--curl", "http://127.0.0.1:8080/",
		"post", "/v1/kyc/customer_profiles")
	if r.code != 0 {
		t.Fatalf("sign --curl: %+v", r)
	}
	for _, want := range []string{
		"curl -sS --globoff --path-as-is -X POST 'http://127.0.0.1:8080/v1/kyc/customer_profiles'",
		"-H 'X-XFERS-APP-API-KEY: kyc_secret'", "-H 'X-PUBLIC-KEY-ID: pk_1'", "-H 'X-TIMESTAMP: 1700000000'",
		"-H 'X-NONCE: 550e8400-e29b-41d4-a716-446655440000'", "-H 'X-SIGNATURE: ", "-H 'Content-Type: application/json'",
		"--data-binary '@" + body + "'",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("curl command lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runKyc(t, env, "sign", "--key", priv, "--key-id", "pk_1", "--idempotency-key", `k "1"`,
		"--curl", "http://127.0.0.1:8080", "POST", "/v1/kyc/customer_profiles")
	if !strings.Contains(r.stdout, `-H 'Idempotency-Key: "k \"1\""'`) {
		t.Errorf("curl command with an idempotency key:\n%s", r.stdout)
	}
	if r = runKyc(t, env, "sign", "--key", priv, "--key-id", "pk_1", "--idempotency-key", "é", "POST", "/v1/x"); r.code == 0 {
		t.Errorf("sign with a key no header can carry: %+v", r)
	}
	r = runKycInput(t, env, `{"a":"it's"}`, "sign", "--key", priv, "--key-id", "pk_1", "--body", "-",
		"--curl", "http://127.0.0.1:8080", "POST", "/v1/kyc/customer_profiles")
	if !strings.Contains(r.stdout, `--data-binary '{"a":"it'\''s"}'`) {
		t.Errorf("curl command with a body from stdin:\n%s", r.stdout)
	}
}

func TestSigningFlagsHaveEnvironmentTwins(t *testing.T) {
	for cmd, wants := range map[string][]string{
		"serve": {"--signature-window", "$KYC_SIGNATURE_WINDOW"},
		"sign":  {"--api-key", "$KYC_API_KEY", "--curl", "$KYC_CURL", "--key-id", "$KYC_KEY_ID"},
	} {
		r := runKyc(t, nil, cmd, "--help")
		for _, want := range wants {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%s --help lacks %q", cmd, want)
			}
		}
	}
	r := runKyc(t, map[string]string{"KYC_SIGNATURE_WINDOW": "0s"}, "serve", "--db", dbPath(t))
	if r.code == 0 || !strings.Contains(r.stderr, "--signature-window") {
		t.Errorf("serve with a zero window: %+v", r)
	}
}

// TestSignCurlCommandRuns runs what `kyc sign --curl` prints, with curl, against a live
// `kyc serve` whose account requires signatures: the command must work as printed, a
// bracketed list query included.
func TestSignCurlCommandRuns(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	path := dbPath(t)
	s := startServe(t, "--db", path)
	env := map[string]string{"KYC_DB": path, "KYC_API_KEY": printedKey.FindString(s.stdout.String())}
	accounts := runKyc(t, env, "account", "list")
	accountID, _, _ := strings.Cut(accounts.stdout, "\t")
	priv := filepath.Join(t.TempDir(), "private.pem")
	runKyc(t, env, "keygen", "--out", priv)
	r := runKyc(t, env, "publickey", "add", "--account", accountID, "--name", "ci", "--file", priv+".pub", "--json")
	var added struct{ KeyID string }
	if err := json.Unmarshal([]byte(r.stdout), &added); err != nil {
		t.Fatalf("publickey add: %+v", r)
	}
	if r := runKyc(t, env, "signing", "enable", "--account", accountID); r.code != 0 {
		t.Fatalf("signing enable: %+v", r)
	}
	r = runKyc(t, env, "sign", "--key", priv, "--key-id", added.KeyID, "--curl", s.base,
		"GET", "/v1/kyc/customer_profiles?page[size]=5&sort=-created_at")
	out, err := exec.Command("sh", "-c", r.stdout).CombinedOutput()
	var page struct{ Data []any }
	if err != nil || json.Unmarshal(out, &page) != nil || page.Data == nil {
		t.Errorf("running the printed command: %v\n%s\nprinted:\n%s", err, out, r.stdout)
	}
}
