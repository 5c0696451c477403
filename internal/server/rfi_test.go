package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
)

const (
	rfiQuestions = `{"data":{"attributes":{"questions":[
		{"text":"What is your occupation?","type":"TEXT","required":true},
		{"text":"Upload ID document","type":"DOC","required":true},
		{"text":"Select options","type":"CHECKBOX","options":["Option 1","Option 2","others"],"required":false}],
		"expiryDays":10}}}`
	rfiAnswers = `{"data":{"attributes":{"rfiQuestionAnswers":[
		{"id":1,"replyType":"TEXT","textReply":"Engineer"},
		{"id":"2","replyType":"DOC","documentUrl":"https://files.example.com/id.pdf","documentName":"id.pdf"},
		{"id":3,"replyType":"CHECKBOX","selectedOptions":["Option 2","others"],"othersDetails":"Tuition"}]}}}`
	verifyBody = `{"data":{"attributes":{"verificationStatus":"verified"}}}`
)

func rfiURL(s *kyctest.Server, profileID string) string {
	return s.URL + "/v1/customer_profile/" + profileID + "/rfi-requests"
}

func sandboxRFIURL(s *kyctest.Server, profileID string) string {
	return s.URL + "/v1/sandbox/customer_profile/" + profileID + "/rfi-requests"
}

// raiseRFI raises an RFI in sandbox and returns its document.
func raiseRFI(t *testing.T, s *kyctest.Server, profileID, body string) kyc.RFIDocument {
	t.Helper()
	resp, b := call(t, http.MethodPost, sandboxRFIURL(s, profileID), s.APIKey, "application/json", []byte(body))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("raise rfi: %d %s", resp.StatusCode, b)
	}
	return decodeAs[kyc.RFIDocument](t, b)
}

func decodeAs[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, b)
	}
	return v
}

// TestRFIFromSentToVerified walks an RFI through every endpoint on both databases: raised,
// refused verification while outstanding, listed, answered (all at once), completed, and
// the profile verified after.
func TestRFIFromSentToVerified(t *testing.T) {
	kyctest.EachServer(t, server.Config{Env: server.Sandbox}, func(t *testing.T, s *kyctest.Server) {
		id := createProfiles(t, s, s.APIKey, 1)[0]
		doc := raiseRFI(t, s, id, rfiQuestions)
		rfi := doc.Data
		a := rfi.Attributes
		if !strings.HasPrefix(rfi.ID, "rfi_request_") || rfi.Type != "rfiRequest" || a.CustomerProfileID != id {
			t.Fatalf("rfi %+v", rfi)
		}
		if a.Active.Status != kyc.RFISent || len(a.Active.Questions) != 3 || !a.Active.Questions[2].Optional ||
			a.Active.Questions[2].Options[2] != "others" || !a.Active.Questions[0].RequiresAction {
			t.Errorf("active rfi %+v", a.Active)
		}
		if p := a.Progress; p.TotalQuestions != 3 || p.PendingQuestions != 3 || p.DaysUntilExpiry != 10 ||
			!p.ExpiryDate.Equal(a.Active.CreatedAt.Add(10*24*time.Hour)) {
			t.Errorf("progress %+v", p)
		}

		resp, b := call(t, http.MethodPut, s.URL+sandboxPath+id, s.APIKey, "application/json", []byte(verifyBody))
		if e := wantError(t, resp, b, http.StatusBadRequest, kyc.CodeConditions); !strings.Contains(e.Message, rfi.ID) {
			t.Errorf("verification refused with %q, want the RFI named", e.Message)
		}

		resp, b = call(t, http.MethodGet, rfiURL(s, id)+"?filter%5Bstatus%5D=sent", s.APIKey, "", nil)
		list := decodeAs[kyc.RFIList](t, b)
		if resp.StatusCode != http.StatusOK || list.Meta.Total != 1 || list.Meta.FilteredCount != 1 || list.Meta.Summary.Pending != 1 {
			t.Errorf("list: %d %s", resp.StatusCode, b)
		}

		resp, b = call(t, http.MethodPut, rfiURL(s, id)+"/"+rfi.ID, s.APIKey, "application/json",
			[]byte(`{"data":{"attributes":{"rfiQuestionAnswers":[{"id":3,"replyType":"CHECKBOX","selectedOptions":["Option 1"]}]}}}`))
		if e := wantError(t, resp, b, http.StatusBadRequest, kyc.CodeMissing); len(e.Details) != 2 {
			t.Errorf("partial submission: %d problems, want the 2 missing answers: %s", len(e.Details), b)
		}

		resp, b = call(t, http.MethodPut, rfiURL(s, id)+"/"+rfi.ID, s.APIKey, "application/json", []byte(rfiAnswers))
		sub := decodeAs[kyc.RFISubmission](t, b)
		if resp.StatusCode != http.StatusOK || sub.Data.Attributes.Status != kyc.RFIReceived || len(sub.Data.Attributes.SubmittedReplies) != 3 ||
			sub.Data.Attributes.SubmittedReplies[0].Message != "Text response saved successfully" {
			t.Fatalf("submit: %d %s", resp.StatusCode, b)
		}

		_, b = call(t, http.MethodGet, rfiURL(s, id)+"/"+rfi.ID, s.APIKey, "", nil)
		if strings.Contains(string(b), "files.example.com") {
			t.Errorf("document link shown without showAttachments: %s", b)
		}
		_, b = call(t, http.MethodGet, rfiURL(s, id)+"/"+rfi.ID+"?showAttachments=true", s.APIKey, "", nil)
		got := decodeAs[kyc.RFIDocument](t, b).Data.Attributes
		if q := got.Active.Questions[1]; q.Reply == nil || q.Reply.DocumentURL != "https://files.example.com/id.pdf" || q.Status != kyc.QuestionSubmitted {
			t.Errorf("DOC answer with showAttachments: %+v", q)
		}

		resp, b = call(t, http.MethodPut, rfiURL(s, id)+"/"+rfi.ID, s.APIKey, "application/json", []byte(rfiAnswers))
		wantError(t, resp, b, http.StatusBadRequest, kyc.CodeConditions)

		resp, b = call(t, http.MethodPut, sandboxRFIURL(s, id)+"/"+rfi.ID+"/transition", s.APIKey, "application/json",
			[]byte(`{"data":{"attributes":{"status":"completed"}}}`))
		done := decodeAs[kyc.RFIDocument](t, b).Data.Attributes
		if resp.StatusCode != http.StatusOK || done.Active.Status != kyc.RFICompleted || done.Progress.AcceptedQuestions != 3 ||
			done.Progress.CompletionPercentage != 100 {
			t.Errorf("transition: %d %s", resp.StatusCode, b)
		}

		resp, b = call(t, http.MethodPut, rfiURL(s, id)+"/"+rfi.ID, s.APIKey, "application/json", []byte(rfiAnswers))
		if e := wantError(t, resp, b, http.StatusFailedDependency, kyc.CodeFailedDependency); e.Message != "RFI already completed" {
			t.Errorf("answer to a completed RFI: %q", e.Message)
		}
		if decide(t, s, id, verifyBody).Data.Attributes.VerificationStatus != kyc.StatusVerified {
			t.Error("not verified after the RFI was completed")
		}
	})
}

// TestRFIErrors: each refusal of the RFI endpoints, with the published status, code and
// envelope, on both databases.
func TestRFIErrors(t *testing.T) {
	kyctest.EachServer(t, server.Config{Env: server.Sandbox}, func(t *testing.T, s *kyctest.Server) {
		ids := createProfiles(t, s, s.APIKey, 2)
		rfi := raiseRFI(t, s, ids[0], rfiQuestions).Data.ID
		_, otherKey := kyctest.NewAccount(t, s.DB, "other")
		json := "application/json"
		tests := []struct {
			name, method, url, key, body string
			status                       int
			code                         string
			details                      int
		}{
			{"unknown profile", "GET", rfiURL(s, "customer_profile_x"), s.APIKey, "", 404, kyc.CodeNotFound, 0},
			{"another account's profile", "GET", rfiURL(s, ids[0]), otherKey, "", 404, kyc.CodeNotFound, 0},
			{"unknown rfi", "GET", rfiURL(s, ids[0]) + "/rfi_request_x", s.APIKey, "", 404, kyc.CodeNoRecord, 0},
			{"rfi of another profile", "GET", rfiURL(s, ids[1]) + "/" + rfi, s.APIKey, "", 404, kyc.CodeNoRecord, 0},
			{"answer for another profile", "PUT", rfiURL(s, ids[1]) + "/" + rfi, s.APIKey, rfiAnswers, 404, kyc.CodeNoRecord, 0},
			{"bad filter", "GET", rfiURL(s, ids[0]) + "?filter%5Bstatus%5D=open", s.APIKey, "", 400, kyc.CodeInvalid, 0},
			{"unknown parameter", "GET", rfiURL(s, ids[0]) + "/" + rfi + "?filter%5Bstatus%5D=sent", s.APIKey, "", 400, kyc.CodeInvalid, 0},
			{"second outstanding rfi", "POST", sandboxRFIURL(s, ids[0]), s.APIKey, rfiQuestions, 400, kyc.CodeConditions, 0},
			{"questions missing", "POST", sandboxRFIURL(s, ids[1]), s.APIKey, `{"data":{"attributes":{"expiryDays":0}}}`, 400, kyc.CodeInvalid, 2},
			{"bad questions", "POST", sandboxRFIURL(s, ids[1]), s.APIKey,
				`{"data":{"attributes":{"questions":[{"text":"","type":"VIDEO","required":"yes"},{"text":"Pick","type":"CHECKBOX","required":true}]}}}`,
				400, kyc.CodeInvalid, 4},
			{"bad answers", "PUT", rfiURL(s, ids[0]) + "/" + rfi, s.APIKey,
				`{"data":{"attributes":{"rfiQuestionAnswers":[{"id":1,"replyType":"DOC","documentUrl":"not a url"},{"id":3,"replyType":"CHECKBOX","selectedOptions":["option 1"]},{"id":9,"replyType":"TEXT","textReply":"x"},{"id":2,"replyType":"DOC","docmentUrl":"www.com"}]}}}`,
				400, kyc.CodeInvalid, 5},
			{"bad transition", "PUT", sandboxRFIURL(s, ids[0]) + "/" + rfi + "/transition", s.APIKey, `{"data":{"attributes":{"status":"received"}}}`, 400, kyc.CodeInvalid, 1},
			{"not JSON", "PUT", rfiURL(s, ids[0]) + "/" + rfi, s.APIKey, "", 415, kyc.CodeInvalid, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ct := json
				if tt.body == "" {
					ct = ""
				}
				resp, b := call(t, tt.method, tt.url, tt.key, ct, []byte(tt.body))
				e := wantError(t, resp, b, tt.status, tt.code)
				if len(e.Details) != tt.details {
					t.Errorf("%d details, want %d: %s", len(e.Details), tt.details, b)
				}
			})
		}
	})
}

// TestRFISandboxOnly: in production the sandbox RFI endpoints answer 405 STXE-6000, and the
// others serve as in sandbox.
func TestRFISandboxOnly(t *testing.T) {
	s := kyctest.NewServerWith(t, server.Config{Env: server.Production})
	id := createProfiles(t, s, s.APIKey, 1)[0]
	resp, b := call(t, http.MethodPost, sandboxRFIURL(s, id), s.APIKey, "application/json", []byte(rfiQuestions))
	wantError(t, resp, b, http.StatusMethodNotAllowed, kyc.CodeSandboxOnly)
	resp, b = call(t, http.MethodPut, sandboxRFIURL(s, id)+"/rfi_request_x/transition", s.APIKey, "application/json",
		[]byte(`{"data":{"attributes":{"status":"completed"}}}`))
	wantError(t, resp, b, http.StatusMethodNotAllowed, kyc.CodeSandboxOnly)
	resp, b = call(t, http.MethodGet, rfiURL(s, id), s.APIKey, "", nil)
	if list := decodeAs[kyc.RFIList](t, b); resp.StatusCode != http.StatusOK || len(list.Data) != 0 || list.Meta.Total != 0 {
		t.Errorf("list in production: %d %s", resp.StatusCode, b)
	}
}

// TestRFIThroughClient drives the RFI endpoints with the Go client and checks the
// cpRfiStatusUpdated events: one per status change, each body the RFI's document at that
// moment.
func TestRFIThroughClient(t *testing.T) {
	kyctest.EachServer(t, server.Config{Env: server.Sandbox}, func(t *testing.T, s *kyctest.Server) {
		ctx := context.Background()
		c := client.New(s.URL+"/v1", s.APIKey)
		id := createProfiles(t, s, s.APIKey, 1)[0]
		doc, err := c.SandboxCreateRFI(ctx, id, []client.RFIQuestion{{Text: "Occupation?", Type: kyc.ReplyText, Required: true}}, 0)
		if err != nil {
			t.Fatal(err)
		}
		rfi := doc.Data.ID
		if p := doc.Data.Attributes.Progress; p.DaysUntilExpiry != 14 {
			t.Errorf("default expiry of an onboarding RFI: %d days, want 14", p.DaysUntilExpiry)
		}
		if _, err := c.SubmitRFI(ctx, id, rfi, []client.RFIAnswer{{ID: 1, ReplyType: kyc.ReplyDoc, DocumentURL: "https://x.example/a.pdf"}}); kyc.AsError(err) == nil || kyc.AsError(err).Code != kyc.CodeInvalid {
			t.Errorf("wrong reply type: %v", err)
		}
		if _, err := c.SubmitRFI(ctx, id, rfi, []client.RFIAnswer{{ID: 1, ReplyType: kyc.ReplyText, TextReply: "Pilot"}}); err != nil {
			t.Fatal(err)
		}
		done, err := c.SandboxTransitionRFI(ctx, id, rfi, kyc.RFICompleted)
		if err != nil || done.Data.Attributes.Active.Status != kyc.RFICompleted {
			t.Fatalf("transition: %v", err)
		}
		list, err := c.RFIs(ctx, id, client.RFIOptions{Status: kyc.RFICompleted})
		if err != nil || list.Meta.FilteredCount != 1 || list.Meta.Summary.Completed != 1 {
			t.Fatalf("list: %v %+v", err, list)
		}
		got, err := c.RFI(ctx, id, rfi, client.RFIOptions{ShowAttachments: true})
		if err != nil || got.Data.Attributes.Active.Questions[0].Reply.TextReply != "Pilot" {
			t.Fatalf("get: %v", err)
		}
		_, err = c.RFI(ctx, id, "rfi_request_nope", client.RFIOptions{})
		if e := kyc.AsError(err); e == nil || e.Status != http.StatusNotFound || e.Code != kyc.CodeNoRecord || e.Flat() {
			t.Errorf("unknown rfi through the client: %#v", e)
		}

		events := wantEvents(t, s, kyc.EventRFIStatusUpdated, kyc.EventRFIStatusUpdated, kyc.EventRFIStatusUpdated)
		for i, want := range []kyc.RFIStatus{kyc.RFICompleted, kyc.RFIReceived, kyc.RFISent} {
			body := decodeAs[kyc.RFIDocument](t, events[i].Body)
			if body.Data.ID != rfi || body.Data.Attributes.Active.Status != want || events[i].ProfileID != id {
				t.Errorf("event %d: %s", i, events[i].Body)
			}
		}
	})
}
