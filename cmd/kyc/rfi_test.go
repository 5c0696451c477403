package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// TestRFIReviewCycle: a reviewer raises an RFI, the answers come, one is rejected (the
// RFI goes back to sent for it alone), answered again and accepted: the RFI is completed.
func TestRFIReviewCycle(t *testing.T) {
	path := dbPath(t)
	p := newProfile(t, path)
	env := map[string]string{"KYC_DB": path}
	questions := `{"data":{"attributes":{"questions":[{"text":"Occupation?","type":"TEXT","required":true},` +
		`{"text":"Payslip","type":"DOC","required":true}]}}}`
	r := runKycInput(t, env, questions, "rfi", "create", "--profile", p.ID, "--file", "-", "--expiry-days", "3")
	if r.code != 0 || !strings.HasPrefix(r.stdout, kyc.RFIIDPrefix) {
		t.Fatalf("create: %+v", r)
	}
	rfiID := strings.Fields(r.stdout)[0]
	if r := runKyc(t, env, "rfi", "review", rfiID, "--reviewer", "alice", "--accept", "1"); r.code == 0 {
		t.Errorf("review of an RFI not answered yet succeeded: %+v", r)
	}

	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	answer := func(body string) {
		t.Helper()
		answers, err := kyc.DecodeRFIAnswers([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SubmitRFI(t.Context(), p.AccountID, p.ID, rfiID, answers); err != nil {
			t.Fatalf("submit: %v", err)
		}
	}
	answer(`{"data":{"attributes":{"rfiQuestionAnswers":[{"id":1,"replyType":"TEXT","textReply":"Nurse"},` +
		`{"id":2,"replyType":"DOC","documentUrl":"https://files.example.com/payslip.pdf"}]}}}`)
	r = runKyc(t, env, "rfi", "review", rfiID, "--reviewer", "alice", "--accept", "1", "--reject", "2=The payslip is older than 3 months")
	if r.code != 0 || !strings.Contains(r.stdout, "sent") {
		t.Fatalf("review with a rejection: %+v", r)
	}
	answer(`{"data":{"attributes":{"rfiQuestionAnswers":[{"id":2,"replyType":"DOC","documentUrl":"https://files.example.com/payslip-may.pdf"}]}}}`)
	if r := runKyc(t, env, "rfi", "review", rfiID, "--reviewer", "alice", "--accept", "2"); r.code != 0 || !strings.Contains(r.stdout, "completed") {
		t.Fatalf("review: %+v", r)
	}
	r = runKyc(t, env, "rfi", "list", "--profile", p.ID, "--json")
	var list kyc.RFIList
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list.Data) != 1 {
		t.Fatalf("list: %v %+v", err, r)
	}
	a := list.Data[0].Attributes
	if a.Active.Status != kyc.RFICompleted || a.Progress.AcceptedQuestions != 2 || a.Active.Questions[1].Reply.DocumentURL != "https://files.example.com/payslip-may.pdf" {
		t.Errorf("listed %+v", a)
	}
	for _, bad := range [][]string{{"--reject", "2"}, {"--reject", "x=why"}, {}} {
		args := append([]string{"rfi", "review", rfiID, "--reviewer", "alice"}, bad...)
		if r := runKyc(t, env, args...); r.code == 0 {
			t.Errorf("%v: succeeded", bad)
		}
	}
}
