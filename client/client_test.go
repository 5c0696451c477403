package client_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/httpsig"
)

// TestSignsWhatItSends checks, on the receiving end, that the client signs the full path as
// sent (version prefix and escaping included), the query and the exact body bytes.
func TestSignsWhatItSends(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	var got []string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		m := httpsig.FromRequest(r, body)
		if err := httpsig.Verify(pub, m, r.Header.Get(httpsig.HeaderSignature)); err != nil {
			t.Errorf("%s %s: %v", r.Method, r.RequestURI, err)
		}
		got = append(got, r.Method+" "+m.Path+" "+m.Query+" "+string(m.Body)+" "+r.Header.Get(httpsig.HeaderKeyID)+" "+m.Timestamp+" "+r.Header.Get("If-Match"))
		switch {
		case r.URL.Path == "/v1/kyc/customer_profiles" && r.Method == http.MethodGet:
			w.Write([]byte(`{"data":[],"meta":{"page":{"size":2,"count":0}},"links":{"self":"","first":"","next":null}}`))
		case strings.HasSuffix(r.URL.Path, "/history"):
			w.Write([]byte(`{"data":[]}`))
		default:
			w.Write([]byte(`{"data":{"id":"customer_profile_x","type":"customer_profile","attributes":{}}}`))
		}
	}))
	defer hs.Close()
	c := client.New(hs.URL+"/v1/", "key", client.WithSigner("pk_1", priv),
		client.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	ctx := context.Background()
	if _, err := c.GetProfile(ctx, "customer_profile_a@b c"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateProfileJSON(ctx, []byte(`{ "b":1,"a":2 }`)); err != nil {
		t.Fatal(err)
	}
	if err := c.Do(ctx, "GET", "/kyc/customer_profiles?page%5Bsize%5D=2&filter%5Bstatus%5D=pending", nil, nil); err != nil {
		t.Fatal(err)
	}
	// The list query is built once (keys sorted, brackets and + escaped) and signed as sent.
	_, err := c.ListProfiles(ctx, client.ListOptions{
		Size: 2, Sort: "-updated_at", Status: kyc.StatusPending,
		CreatedAfter: time.Date(2025, 6, 13, 10, 32, 53, 0, time.FixedZone("", 8*3600)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateProfileJSON(ctx, "customer_profile_x", []byte(`{"email":null}`), `"3"`); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ProfileHistory(ctx, "customer_profile_x"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SandboxDecide(ctx, "customer_profile_x", kyc.Decision{Status: kyc.StatusVerified}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"GET /v1/kyc/customer_profiles/customer_profile_a@b%20c   pk_1 1700000000 ",
		`POST /v1/kyc/customer_profiles  { "b":1,"a":2 } pk_1 1700000000 `,
		"GET /v1/kyc/customer_profiles page%5Bsize%5D=2&filter%5Bstatus%5D=pending  pk_1 1700000000 ",
		"GET /v1/kyc/customer_profiles filter%5Bcreated_after%5D=2025-06-13T10%3A32%3A53%2B08%3A00&filter%5Bverification_status%5D=pending&page%5Bsize%5D=2&sort=-updated_at  pk_1 1700000000 ",
		`PATCH /v1/kyc/customer_profiles/customer_profile_x  {"email":null} pk_1 1700000000 "3"`,
		"GET /v1/kyc/customer_profiles/customer_profile_x/history   pk_1 1700000000 ",
		`PUT /v1/sandbox/kyc/customer_profiles/customer_profile_x  {"data":{"attributes":{"verificationStatus":"verified"}}} pk_1 1700000000 `,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestErrorsAreRebuilt(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
		want       *kyc.Error
	}{
		{"errors[]", `{"errors":[{"error":"Replay Attack Detected","error_code":"STXE-1000","error_handling":"h"}]}`, 401,
			&kyc.Error{Status: 401, Code: kyc.CodeUnauthorized, Shape: kyc.ShapeErrors, Message: "Replay Attack Detected", Handling: "h"}},
		{"flat", `{"error":"gender is missing","error_code":"XFE15","error_handling":"h"}`, 400,
			&kyc.Error{Status: 400, Code: kyc.CodeMissing, Shape: kyc.ShapeFlat, Message: "gender is missing", Handling: "h"}},
		{"a proxy's page", `<html>Bad gateway</html>`, 502, &kyc.Error{Status: 502, Message: "Bad Gateway"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			}))
			defer hs.Close()
			_, err := client.New(hs.URL+"/v1", "key").Hello(context.Background())
			if diff := cmp.Diff(tc.want, kyc.AsError(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNextCursor: the cursor is taken from links.next, whatever else the link carries; a
// next link without one is an error rather than an endless walk of the first page.
func TestNextCursor(t *testing.T) {
	for _, tc := range []struct {
		name, next, want string
		fails            bool
	}{
		{"last page", `null`, "", false},
		{"cursor", `"/v1/kyc/customer_profiles?page%5Bafter%5D=abc_-1&sort=-created_at"`, "abc_-1", false},
		{"absolute link", `"https://api.example.com/v1/kyc/customer_profiles?page[after]=xyz"`, "xyz", false},
		{"no cursor", `"/v1/kyc/customer_profiles?page%5Bnumber%5D=2"`, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(`{"data":[],"meta":{"page":{"size":10,"count":0}},"links":{"self":"","first":"","next":` + tc.next + `}}`))
			}))
			defer hs.Close()
			page, err := client.New(hs.URL+"/v1", "key").ListProfiles(context.Background(), client.ListOptions{})
			if tc.fails {
				if err == nil || kyc.AsError(err) != nil {
					t.Fatalf("err = %v, want a client error", err)
				}
				return
			}
			if err != nil || page.NextCursor != tc.want {
				t.Fatalf("NextCursor = %q, %v; want %q", page.NextCursor, err, tc.want)
			}
		})
	}
}
