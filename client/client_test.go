package client_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
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
		got = append(got, r.Method+" "+m.Path+" "+m.Query+" "+string(m.Body)+" "+r.Header.Get(httpsig.HeaderKeyID)+" "+m.Timestamp)
		w.Write([]byte(`{"data":{"id":"customer_profile_x","type":"customer_profile","attributes":{}}}`))
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
	want := []string{
		"GET /v1/kyc/customer_profiles/customer_profile_a@b%20c   pk_1 1700000000",
		`POST /v1/kyc/customer_profiles  { "b":1,"a":2 } pk_1 1700000000`,
		"GET /v1/kyc/customer_profiles page%5Bsize%5D=2&filter%5Bstatus%5D=pending  pk_1 1700000000",
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
			&kyc.Error{Status: 401, Code: kyc.CodeUnauthorized, Message: "Replay Attack Detected", Handling: "h"}},
		{"flat", `{"error":"gender is missing","error_code":"XFE15","error_handling":"h"}`, 400,
			&kyc.Error{Status: 400, Code: kyc.CodeMissing, Message: "gender is missing", Handling: "h"}},
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
