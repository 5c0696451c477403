package server_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/risk"
	"github.com/openkyc/kyc/internal/server"
)

const sandboxPath = "/v1/sandbox/kyc/customer_profiles/"

// decide sets a profile's status through the sandbox endpoint and returns the document.
func decide(t *testing.T, s *kyctest.Server, id, body string) kyc.Document {
	t.Helper()
	resp, b := call(t, http.MethodPut, s.URL+sandboxPath+id, s.APIKey, "application/json", []byte(body))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("decide %s: %d %s", body, resp.StatusCode, b)
	}
	return decodeDoc(t, b)
}

func getDoc(t *testing.T, s *kyctest.Server, id string) kyc.Document {
	t.Helper()
	resp, b := call(t, http.MethodGet, s.URL+"/v1/kyc/customer_profiles/"+id, s.APIKey, "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("get: %d %s", resp.StatusCode, b)
	}
	return decodeDoc(t, b)
}

func TestSandboxRejectionShowsRiskRating(t *testing.T) {
	s := kyctest.NewServer(t)
	id := createProfiles(t, s, s.APIKey, 1)[0]
	doc := decide(t, s, id, `{"data":{"attributes":{"verificationStatus":"rejected","rejectionCodes":[101,206]}}}`)
	a := doc.Data.Attributes
	if a.VerificationStatus != kyc.StatusRejected || a.IsRetryable == nil || !*a.IsRetryable {
		t.Fatalf("status %q isRetryable %v, want rejected and retryable", a.VerificationStatus, a.IsRetryable)
	}
	want := &kyc.RiskRating{
		Status:          kyc.StatusRejected,
		RejectionReason: []string{"expired_id", "proof_of_address_not_original"},
		Rejections: []kyc.RejectionReason{
			{Code: 101, Reason: "expired_id", Message: "The ID document has expired."},
			{Code: 206, Reason: "proof_of_address_not_original", Message: "Please upload the original digital Proof of Address copy. Screenshots or photos of screens are not accepted."},
		},
		RiskAssessment: &kyc.RiskAssessment{Level: "low", Factors: []kyc.RiskFactor{}, RulesVersion: risk.Default().Version},
	}
	if diff := cmp.Diff(want, a.RiskRating); diff != "" {
		t.Errorf("riskRating (-want +got):\n%s", diff)
	}
	if a.VerificationRejectionSummary == "" {
		t.Error("no verificationRejectionSummary")
	}
	if diff := cmp.Diff(doc, getDoc(t, s, id)); diff != "" {
		t.Errorf("GET differs from the decision's answer (-decide +get):\n%s", diff)
	}
}

// TestSandboxTransitions drives every allowed and refused review transition through the
// endpoint (both verbs), and the update-driven ones through PATCH.
func TestSandboxTransitions(t *testing.T) {
	s := kyctest.NewServer(t)
	const (
		verify    = `{"data":{"attributes":{"verificationStatus":"verified"}}}`
		reject    = `{"data":{"attributes":{"verificationStatus":"rejected","rejectionCodes":[102]}}}`
		rejectEnd = `{"data":{"attributes":{"verificationStatus":"rejected","rejectionCodes":[503]}}}`
	)
	id := createProfiles(t, s, s.APIKey, 1)[0]
	steps := []struct {
		name, method, path, body string
		status                   int
		code                     string
		want                     kyc.Status
	}{
		{"pending → verified", http.MethodPut, sandboxPath, verify, 200, "", kyc.StatusVerified},
		{"verified → verified refused", http.MethodPatch, sandboxPath, verify, 400, kyc.CodeConditions, kyc.StatusVerified},
		{"contact update keeps verified", http.MethodPatch, profilesPath, `{"email":"new@example.com","ipAddresses":[]}`, 200, "", kyc.StatusVerified},
		{"identity update → pending", http.MethodPatch, profilesPath, `{"customerLastName":"CHOW"}`, 200, "", kyc.StatusPending},
		{"pending → rejected (retryable)", http.MethodPatch, sandboxPath, reject, 200, "", kyc.StatusRejected},
		{"rejected → verified refused", http.MethodPut, sandboxPath, verify, 400, kyc.CodeConditions, kyc.StatusRejected},
		{"rejected → rejected refused", http.MethodPut, sandboxPath, reject, 400, kyc.CodeConditions, kyc.StatusRejected},
		{"resubmission → pending", http.MethodPut, profilesPath, `{"identityDocuments":{"passport":"https://docs.example.com/new.jpg"}}`, 200, "", kyc.StatusPending},
		{"pending → verified again", http.MethodPut, sandboxPath, verify, 200, "", kyc.StatusVerified},
		{"verified → rejected (revoked, final)", http.MethodPut, sandboxPath, rejectEnd, 200, "", kyc.StatusRejected},
		{"final rejection refuses updates", http.MethodPatch, profilesPath, `{"email":"x@example.com"}`, 400, kyc.CodeConditions, kyc.StatusRejected},
		{"decide pending refused", http.MethodPut, sandboxPath, `{"data":{"attributes":{"verificationStatus":"pending"}}}`, 400, kyc.CodeInvalid, kyc.StatusRejected},
	}
	for _, st := range steps {
		resp, body := call(t, st.method, s.URL+st.path+id, s.APIKey, "application/json", []byte(st.body))
		if st.code != "" {
			wantError(t, resp, body, st.status, st.code)
		} else if resp.StatusCode != st.status {
			t.Fatalf("%s: %d %s", st.name, resp.StatusCode, body)
		}
		if got := getDoc(t, s, id).Data.Attributes.VerificationStatus; got != st.want {
			t.Fatalf("%s: status %q, want %q", st.name, got, st.want)
		}
	}

	resp, body := call(t, http.MethodGet, s.URL+profilesPath+id+"/history", s.APIKey, "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("history: %d %s", resp.StatusCode, body)
	}
	var history kyc.History
	if err := json.Unmarshal(body, &history); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range history.Data {
		got = append(got, string(h.From)+"→"+string(h.To)+" by "+h.Actor.Type)
	}
	want := []string{
		"→pending by account", "pending→verified by sandbox", "verified→pending by account",
		"pending→rejected by sandbox", "rejected→pending by account", "pending→verified by sandbox",
		"verified→rejected by sandbox",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if codes := history.Data[len(history.Data)-1].Codes; !cmp.Equal(codes, []int{503}) {
		t.Errorf("last transition's codes = %v, want [503]", codes)
	}
}

func TestSandboxBadBodies(t *testing.T) {
	s := kyctest.NewServer(t)
	id := createProfiles(t, s, s.APIKey, 1)[0]
	for _, tc := range []struct{ body, code, field string }{
		{`{}`, kyc.CodeMissing, "data"},
		{`{"data":{}}`, kyc.CodeMissing, "data.attributes"},
		{`{"data":{"attributes":{}}}`, kyc.CodeMissing, "data.attributes.verificationStatus"},
		{`{"data":{"attributes":{"verificationStatus":"approved"}}}`, kyc.CodeInvalid, "data.attributes.verificationStatus"},
		{`{"data":{"attributes":{"verificationStatus":"rejected","rejectionCodes":["101"]}}}`, kyc.CodeInvalid, "data.attributes.rejectionCodes[0]"},
		{`{"data":{"attributes":{"verificationStatus":"rejected","isRetryable":"yes"}}}`, kyc.CodeInvalid, "data.attributes.isRetryable"},
		{`{"data":{"attributes":{"verificationStatus":"rejected","reason":"x"}}}`, kyc.CodeInvalid, "data.attributes.reason"},
		{`{"data":{"attributes":{"verificationStatus":"verified"}},"meta":{}}`, kyc.CodeInvalid, "meta"},
	} {
		t.Run(tc.body, func(t *testing.T) {
			resp, body := call(t, http.MethodPut, s.URL+sandboxPath+id, s.APIKey, "application/json", []byte(tc.body))
			e := wantError(t, resp, body, http.StatusBadRequest, tc.code)
			if e.Details[0].Field != tc.field {
				t.Errorf("field = %q, want %q", e.Details[0].Field, tc.field)
			}
		})
	}
	for _, body := range []string{
		`{"data":{"attributes":{"verificationStatus":"rejected","rejectionCodes":[100]}}}`,
		`{"data":{"attributes":{"verificationStatus":"rejected","rejectionCodes":[501],"isRetryable":true}}}`,
		`{"data":{"attributes":{"verificationStatus":"verified","rejectionCodes":[101]}}}`,
	} {
		resp, b := call(t, http.MethodPut, s.URL+sandboxPath+id, s.APIKey, "application/json", []byte(body))
		wantError(t, resp, b, http.StatusBadRequest, kyc.CodeInvalid)
	}
	resp, b := call(t, http.MethodPut, s.URL+sandboxPath+"customer_profile_unknown", s.APIKey, "application/json", []byte(`{"data":{"attributes":{"verificationStatus":"verified"}}}`))
	wantError(t, resp, b, http.StatusBadRequest, kyc.CodeNotFound)
}

func TestSandboxEndpointInProduction(t *testing.T) {
	db := kyctest.NewDB(t)
	srv := server.New(db, server.Config{Env: server.Production, Logger: slog.New(slog.DiscardHandler)})
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	_, key := kyctest.NewAccount(t, db, "platform")
	for _, method := range []string{http.MethodPut, http.MethodPatch} {
		resp, body := call(t, method, hs.URL+sandboxPath+"customer_profile_x", key, "application/json",
			[]byte(`{"data":{"attributes":{"verificationStatus":"verified"}}}`))
		wantError(t, resp, body, http.StatusMethodNotAllowed, kyc.CodeSandboxOnly)
	}
}

func TestHistoryOfAnotherAccountIsNotFound(t *testing.T) {
	s := kyctest.NewServer(t)
	_, otherKey := kyctest.NewAccount(t, s.DB, "other platform")
	id := createProfiles(t, s, s.APIKey, 1)[0]
	resp, body := call(t, http.MethodGet, s.URL+profilesPath+id+"/history", otherKey, "", nil)
	wantError(t, resp, body, http.StatusBadRequest, kyc.CodeNotFound)
}
