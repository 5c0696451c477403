package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
)

func TestCreateAndGetProfile(t *testing.T) {
	s := kyctest.NewServer(t)
	before := time.Now().UTC().Truncate(time.Second)
	resp, body := postProfile(t, s.URL, s.APIKey, kyctest.JSON(kyctest.ValidProfile()))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("create: status %d, body %s", resp.StatusCode, body)
	}
	created := decodeDoc(t, body)
	d := created.Data
	if !strings.HasPrefix(d.ID, "customer_profile_") || len(d.ID) != len("customer_profile_")+36 {
		t.Errorf("id = %q, want customer_profile_<uuid>", d.ID)
	}
	if d.Type != "customer_profile" || d.Attributes.VerificationStatus != kyc.StatusPending {
		t.Errorf("type %q status %q, want customer_profile pending", d.Type, d.Attributes.VerificationStatus)
	}
	if d.Attributes.CreatedAt.Before(before) || !d.Attributes.CreatedAt.Equal(d.Attributes.UpdatedAt) {
		t.Errorf("createdAt %v updatedAt %v, want equal and not before %v", d.Attributes.CreatedAt, d.Attributes.UpdatedAt, before)
	}
	assertEchoesRequest(t, body, kyctest.ValidProfile())

	resp, got := call(t, http.MethodGet, s.URL+"/v1/kyc/customer_profiles/"+d.ID, s.APIKey, "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("get: status %d, body %s", resp.StatusCode, got)
	}
	if diff := cmp.Diff(created, decodeDoc(t, got)); diff != "" {
		t.Errorf("GET differs from the create response (-create +get):\n%s", diff)
	}
}

// assertEchoesRequest checks that every field sent comes back unchanged in the attributes,
// and that timestamps have the documented form.
func assertEchoesRequest(t *testing.T, body []byte, sent map[string]any) {
	t.Helper()
	var raw struct {
		Data struct {
			Attributes map[string]any `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	attrs := raw.Data.Attributes
	for k, v := range kyctest.JSONRoundTrip(sent) {
		if diff := cmp.Diff(v, attrs[k]); diff != "" {
			t.Errorf("attribute %s not echoed as sent (-sent +got):\n%s", k, diff)
		}
	}
	for _, k := range []string{"createdAt", "updatedAt"} {
		s, _ := attrs[k].(string)
		if _, err := time.Parse("2006-01-02T15:04:05Z", s); err != nil {
			t.Errorf("%s = %q, want RFC 3339 UTC seconds", k, s)
		}
	}
}

func TestGetProfileOfAnotherAccountIsNotFound(t *testing.T) {
	s := kyctest.NewServer(t)
	_, otherKey := kyctest.NewAccount(t, s.DB, "other platform")
	_, body := postProfile(t, s.URL, s.APIKey, kyctest.JSON(kyctest.ValidProfile()))
	id := decodeDoc(t, body).Data.ID

	for _, tc := range []struct{ name, key, id string }{
		{"another account's profile", otherKey, id},
		{"unknown id", s.APIKey, "customer_profile_00000000-0000-0000-0000-000000000000"},
		{"malformed id", s.APIKey, "nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := call(t, http.MethodGet, s.URL+"/v1/kyc/customer_profiles/"+tc.id, tc.key, "", nil)
			e := wantError(t, resp, body, http.StatusBadRequest, kyc.CodeNotFound)
			if e.Message != "Customer profile not found" {
				t.Errorf("message = %q", e.Message)
			}
		})
	}
}

func TestDuplicateProfile(t *testing.T) {
	s := kyctest.NewServer(t)
	_, body := postProfile(t, s.URL, s.APIKey, kyctest.JSON(kyctest.ValidProfile()))
	first := decodeDoc(t, body).Data.ID

	again := kyctest.ValidProfile()
	again["registrationId"] = " ek 42900532 " // the same id once normalised
	again["email"] = "someone.else@example.com"
	resp, body := postProfile(t, s.URL, s.APIKey, kyctest.JSON(again))
	e := wantError(t, resp, body, http.StatusConflict, kyc.CodeDuplicate)
	if e.ProfileID != first {
		t.Errorf("customer_profile_id = %q, want the existing %q", e.ProfileID, first)
	}

	// Another account may hold the same person.
	_, otherKey := kyctest.NewAccount(t, s.DB, "other platform")
	if resp, body := postProfile(t, s.URL, otherKey, kyctest.JSON(kyctest.ValidProfile())); resp.StatusCode != http.StatusOK {
		t.Errorf("same person in another account: status %d, body %s", resp.StatusCode, body)
	}
}

func TestConcurrentCreatesOfOnePersonGiveOneProfile(t *testing.T) {
	s := kyctest.NewServer(t)
	const n = 24
	body := kyctest.JSON(kyctest.ValidProfile())
	statuses := make([]int, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/v1/kyc/customer_profiles", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-XFERS-APP-API-KEY", s.APIKey)
			<-start
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	close(start)
	wg.Wait()
	counts := map[int]int{}
	for _, st := range statuses {
		counts[st]++
	}
	if diff := cmp.Diff(map[int]int{http.StatusOK: 1, http.StatusConflict: n - 1}, counts); diff != "" {
		t.Errorf("statuses of %d simultaneous creates (-want +got):\n%s", n, diff)
	}
}

// TestAnswersAgreeWithWarnings: a profile with a value off the catalog is answered the same,
// byte for byte, by its create, its get (the stored bytes, never decoded) and the list (the
// same, through encoding/json), each with the catalog's warning.
func TestAnswersAgreeWithWarnings(t *testing.T) {
	s := kyctest.NewServer(t)
	sent := kyctest.ValidProfile()
	sent["occupation"] = "SPACE_PIRATE"
	resp, body := postProfile(t, s.URL, s.APIKey, kyctest.JSON(sent))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("create: status %d, body %s", resp.StatusCode, body)
	}
	var created struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &created); err != nil {
		t.Fatal(err)
	}
	id := decodeDoc(t, body).Data.ID
	_, got := call(t, http.MethodGet, s.URL+"/v1/kyc/customer_profiles/"+id, s.APIKey, "", nil)
	if want := string(body); string(got) != want {
		t.Errorf("get answered\n%s\nwant the create's answer\n%s", got, want)
	}
	_, page := call(t, http.MethodGet, s.URL+"/v1/kyc/customer_profiles", s.APIKey, "", nil)
	var list struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(page, &list); err != nil || len(list.Data) != 1 {
		t.Fatalf("list: %s, %v; want one profile", page, err)
	}
	if string(list.Data[0]) != string(created.Data) {
		t.Errorf("list answered\n%s\nwant the create's data\n%s", list.Data[0], created.Data)
	}
	if !strings.Contains(string(created.Data), `"meta":{"warnings":[{"field":"occupation"`) {
		t.Errorf("create answered no warning about the occupation: %s", created.Data)
	}
}
