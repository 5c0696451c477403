package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
)

const profilesPath = "/v1/kyc/customer_profiles/"

// update sends a merge patch with an optional If-Match.
func update(t *testing.T, s *kyctest.Server, method, id, ifMatch, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+profilesPath+id, jsonReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-XFERS-APP-API-KEY", s.APIKey)
	req.Header.Set("Content-Type", "application/json")
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	return send(t, req)
}

// attributes is the raw attributes object of a profile document.
func attributes(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var raw struct {
		Data struct{ Attributes map[string]any } `json:"data"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	return raw.Data.Attributes
}

func TestUpdateMergePatch(t *testing.T) {
	s := kyctest.NewServer(t)
	sent := kyctest.ValidProfile()
	sent["phoneNo"] = "+65 6123 4567"
	resp, body := postProfile(t, s.URL, s.APIKey, kyctest.JSON(sent))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") != `"1"` {
		t.Fatalf("create: %d, ETag %q: %s", resp.StatusCode, resp.Header.Get("ETag"), body)
	}
	id := decodeDoc(t, body).Data.ID

	for i, tc := range []struct {
		method, patch string
		check         func(a map[string]any) any // returns what changed
		want          any
	}{
		{http.MethodPatch, `{"address":{"city":"SINGAPORE","state":null}}`,
			func(a map[string]any) any { return a["address"] },
			map[string]any{"street": "ROOM 503, NO. 3, GUYAN ERLI XIANG 'AN DISTRICT", "city": "SINGAPORE", "postalCode": "100020", "country": "CN"}},
		{http.MethodPut, `{"phoneNo":null,"ipAddresses":["1.1.1.1","::1"]}`,
			func(a map[string]any) any { return []any{a["phoneNo"], a["ipAddresses"]} },
			[]any{nil, []any{"1.1.1.1", "::1"}}},
		{http.MethodPatch, `{"sourceOfWealth":{"others":null,"cashSavings":{"document":"https://docs.example.com/bank.pdf"}}}`,
			func(a map[string]any) any { return a["sourceOfWealth"] },
			map[string]any{
				"employmentIncome": map[string]any{"document": "https://docs.example.com/kyc/passport-1234.jpg"},
				"cashSavings":      map[string]any{"document": "https://docs.example.com/bank.pdf"},
			}},
	} {
		resp, body := update(t, s, tc.method, id, "", tc.patch)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d %s", tc.method, tc.patch, resp.StatusCode, body)
		}
		if diff := cmp.Diff(tc.want, tc.check(attributes(t, body))); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tc.patch, diff)
		}
		if got, want := resp.Header.Get("ETag"), `"`+string(rune('2'+i))+`"`; got != want {
			t.Errorf("%s: ETag %s, want %s", tc.patch, got, want)
		}
	}
	// Nothing changes: the version stays.
	resp, _ = update(t, s, http.MethodPatch, id, "", `{"email":"zhou@gmail.com"}`)
	if resp.Header.Get("ETag") != `"4"` {
		t.Errorf("no-op update: ETag %s, want \"4\"", resp.Header.Get("ETag"))
	}
	resp, _ = call(t, http.MethodGet, s.URL+profilesPath+id, s.APIKey, "", nil)
	if resp.Header.Get("ETag") != `"4"` {
		t.Errorf("GET: ETag %s, want \"4\"", resp.Header.Get("ETag"))
	}
}

func TestUpdateRefusals(t *testing.T) {
	s := kyctest.NewServer(t)
	ids := createProfiles(t, s, s.APIKey, 2)
	_, otherKey := kyctest.NewAccount(t, s.DB, "other platform")
	for _, tc := range []struct {
		name, ifMatch, patch string
		status               int
		code, field          string
	}{
		{"conditional rule", "", `{"registrationIdType":"identity_card"}`, 400, kyc.CodeMissing, "identityDocuments.idFront"},
		{"null on a required field", "", `{"customerFirstName":null}`, 400, kyc.CodeMissing, "customerFirstName"},
		{"invalid value", "", `{"dateOfBirth":"2099-01-01"}`, 400, kyc.CodeInvalid, "dateOfBirth"},
		{"registrationType", "", `{"registrationType":"business"}`, 400, kyc.CodeInvalid, "registrationType"},
		{"read-only member", "", `{"verificationStatus":"verified"}`, 400, kyc.CodeInvalid, "verificationStatus"},
		{"unknown field", "", `{"phoneNumber":"+65 6123 4567"}`, 400, kyc.CodeInvalid, "phoneNumber"},
		{"not an object", "", `[]`, 400, kyc.CodeInvalid, ""},
		{"another profile's registrationId", "", `{"registrationId":"s 0000000 a"}`, 409, kyc.CodeDuplicate, ""},
		{"stale If-Match", `"7"`, `{"email":"a@example.com"}`, 412, kyc.CodeDuplicate, ""},
		{"weak If-Match", `W/"1"`, `{"email":"a@example.com"}`, 400, kyc.CodeInvalid, ""},
		{"two ETags", `"1", "2"`, `{"email":"a@example.com"}`, 400, kyc.CodeInvalid, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := update(t, s, http.MethodPatch, ids[1], tc.ifMatch, tc.patch)
			e := wantError(t, resp, body, tc.status, tc.code)
			if tc.field != "" && (len(e.Details) == 0 || e.Details[0].Field != tc.field) {
				t.Errorf("details %+v, want first on %s", e.Details, tc.field)
			}
			if tc.code == kyc.CodeDuplicate && tc.status == 409 && e.ProfileID != ids[0] {
				t.Errorf("customer_profile_id = %q, want %q", e.ProfileID, ids[0])
			}
		})
	}
	req, _ := http.NewRequest(http.MethodPatch, s.URL+profilesPath+ids[0], jsonReader(`{"email":"a@example.com"}`))
	req.Header.Set("X-XFERS-APP-API-KEY", otherKey)
	req.Header.Set("Content-Type", "application/json")
	resp, body := send(t, req)
	wantError(t, resp, body, http.StatusBadRequest, kyc.CodeNotFound)
	if got := getDoc(t, s, ids[1]).Data.Attributes; got.Text("email") != "zhou@gmail.com" {
		t.Errorf("a refused update changed the profile: email %q", got.Text("email"))
	}
}

// TestUpdateSameIfMatchRace: many clients update with the ETag they all read; exactly one
// wins and every other one gets 412.
func TestUpdateSameIfMatchRace(t *testing.T) {
	s := kyctest.NewServer(t)
	id := createProfiles(t, s, s.APIKey, 1)[0]
	const n = 10
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			resp, _ := update(t, s, http.MethodPatch, id, `"1"`, `{"customerNativeName":"writer `+string(rune('A'+i))+`"}`)
			statuses[i] = resp.StatusCode
		})
	}
	close(start)
	wg.Wait()
	count := map[int]int{}
	for _, st := range statuses {
		count[st]++
	}
	if diff := cmp.Diff(map[int]int{200: 1, 412: n - 1}, count); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

func jsonReader(s string) *strings.Reader { return strings.NewReader(s) }
