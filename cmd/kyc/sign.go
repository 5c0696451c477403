package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/httpsig"
)

type signFlags struct {
	key, keyID, timestamp, nonce, body string
	curl, apiKey                       string
	idempotencyKey                     string
}

func (c *cli) signCmd() *cobra.Command {
	var f signFlags
	cmd := &cobra.Command{
		Use:   "sign --key private.pem --key-id ID [--body FILE|-] METHOD PATH[?QUERY]",
		Short: "Sign a request: print its signing headers, or a complete curl command",
		Long: "sign prints the X-PUBLIC-KEY-ID, X-TIMESTAMP, X-NONCE and X-SIGNATURE headers of a request.\n" +
			"PATH is the full path as it will be sent, version prefix included (/v1/kyc/customer_profiles).\n" +
			"The timestamp defaults to now and the nonce to a fresh UUID; with both given, the output is\n" +
			"deterministic. With --curl URL (scheme and host, e.g. http://127.0.0.1:8080) it prints a curl\n" +
			"command instead, with the API key from --api-key or KYC_API_KEY. Sign just before sending:\n" +
			"the server accepts a timestamp only within its window (300 s by default), and a nonce once.",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.sign(cmd, f, strings.ToUpper(args[0]), args[1])
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.key, "key", "", "the PKCS#8 PEM private key file")
	fl.StringVar(&f.keyID, "key-id", "", "the public key's id, as `kyc publickey add` printed it")
	fl.StringVar(&f.timestamp, "timestamp", "", "Unix time in seconds (default: now)")
	fl.StringVar(&f.nonce, "nonce", "", "a UUID (default: a fresh random one)")
	fl.StringVar(&f.body, "body", "", `the request body file, or "-" for standard input (default: no body)`)
	fl.StringVar(&f.curl, "curl", "", "print a curl command for the server at this URL (scheme and host only)")
	fl.StringVar(&f.apiKey, "api-key", "", "the API key, for --curl (prefer the environment variable)")
	fl.StringVar(&f.idempotencyKey, "idempotency-key", "",
		"also print an Idempotency-Key header carrying this key (not signed; for POST, PUT and PATCH)")
	_ = cmd.MarkFlagRequired("key")
	_ = cmd.MarkFlagRequired("key-id")
	return cmd
}

func (c *cli) sign(cmd *cobra.Command, f signFlags, method, target string) error {
	m, err := signMessage(cmd, f, method, target)
	if err != nil {
		return err
	}
	pemBytes, err := os.ReadFile(f.key)
	if err != nil {
		return err
	}
	key, err := httpsig.ParsePrivateKey(pemBytes)
	if err != nil {
		return fmt.Errorf("%s: %w", f.key, err)
	}
	h := httpsig.Signer{KeyID: f.keyID, Key: key}.Headers(m)
	names := httpsig.Headers
	if f.idempotencyKey != "" {
		v, err := kyc.FormatIdempotencyKey(f.idempotencyKey)
		if err != nil {
			return fmt.Errorf("--idempotency-key must be 1 to %d printable ASCII characters", kyc.MaxIdempotencyKey)
		}
		h.Set(kyc.IdempotencyKeyHeader, v)
		names = append(slices.Clip(names), kyc.IdempotencyKeyHeader)
	}
	if f.curl == "" {
		for _, name := range names {
			c.printf("%s: %s\n", name, h.Get(name))
		}
		return nil
	}
	return c.printCurl(f, m, target, h, names)
}

// signMessage gathers what is signed, checking the explicit timestamp and nonce against
// the formats the server will check.
func signMessage(cmd *cobra.Command, f signFlags, method, target string) (httpsig.Message, error) {
	m := httpsig.Message{Method: method, Timestamp: f.timestamp, Nonce: f.nonce}
	m.Path, m.Query = httpsig.SplitTarget(target)
	if !strings.HasPrefix(m.Path, "/") {
		return m, fmt.Errorf("PATH must start with /, e.g. /v1/authorize/hello, not %q", target)
	}
	if m.Timestamp == "" {
		m.Timestamp = strconv.FormatInt(time.Now().Unix(), 10)
	} else if _, ok := httpsig.ParseTimestamp(m.Timestamp); !ok {
		return m, fmt.Errorf("--timestamp must be Unix time in whole seconds, not %q", m.Timestamp)
	}
	if m.Nonce == "" {
		m.Nonce = httpsig.NewNonce()
	} else if !httpsig.ValidNonce(m.Nonce) {
		return m, fmt.Errorf("--nonce must be a UUID, not %q", m.Nonce)
	}
	if f.body != "" {
		body, err := readInput(cmd, f.body, 1<<20)
		if err != nil {
			return m, err
		}
		m.Body = body
	}
	return m, nil
}

// printCurl prints one curl command that sends exactly what was signed: the target as
// given (curl sends it unchanged with --path-as-is, and --globoff keeps it from reading the
// brackets of page[size] or filter[…] as a URL range), and the body byte for byte.
func (c *cli) printCurl(f signFlags, m httpsig.Message, target string, h http.Header, names []string) error {
	base, err := curlBase(f.curl)
	if err != nil {
		return err
	}
	if f.apiKey == "" {
		return errors.New("--curl needs the API key: give --api-key or set KYC_API_KEY")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "curl -sS --globoff --path-as-is -X %s %s", m.Method, shellQuote(base+target))
	header := func(name, value string) { fmt.Fprintf(&b, " \\\n  -H %s", shellQuote(name+": "+value)) }
	header("X-XFERS-APP-API-KEY", f.apiKey)
	for _, name := range names {
		header(name, h.Get(name))
	}
	switch {
	case f.body == "-":
		header("Content-Type", "application/json")
		fmt.Fprintf(&b, " \\\n  --data-binary %s", shellQuote(string(m.Body)))
	case f.body != "":
		header("Content-Type", "application/json")
		fmt.Fprintf(&b, " \\\n  --data-binary %s", shellQuote("@"+f.body))
	}
	c.printf("%s\n", b.String())
	return nil
}

// curlBase checks that --curl names only a scheme and host: the path belongs to the signed
// PATH, and a prefix here would make the request differ from what was signed.
func curlBase(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("--curl must be a URL like http://127.0.0.1:8080, not %q", raw)
	}
	if strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
		return "", fmt.Errorf("--curl takes the scheme and host only (%s://%s); put the full path, /v1 included, in PATH", u.Scheme, u.Host)
	}
	return u.Scheme + "://" + u.Host, nil
}

// shellQuote quotes s for a POSIX shell: inside single quotes nothing is special but the
// single quote itself.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
