package kyc

import (
	"testing"
	"time"
)

func testRFI(t *testing.T, now time.Time) *RFI {
	t.Helper()
	req, err := DecodeRFIRequest([]byte(`{"data":{"attributes":{"expiryDays":5,"questions":[
		{"text":"Occupation?","type":"TEXT","required":true},
		{"text":"Payslip","type":"DOC","required":true},
		{"text":"Other income?","type":"CHECKBOX","required":false,"options":["Rent","Others"]}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	p := &Profile{ID: "customer_profile_1", Kind: PersonalCPPlus, Status: StatusPending}
	r, err := NewRFI("rfi_request_1", p, req, DefaultRFIExpiryDays, now)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRFIReviewCycle: a rejected answer sends the RFI back with a new period, for that
// question alone; accepting the rest completes it; the progress follows each step.
func TestRFIReviewCycle(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := testRFI(t, now)
	answers, _ := DecodeRFIAnswers([]byte(`{"data":{"attributes":{"rfiQuestionAnswers":[
		{"id":1,"replyType":"TEXT","textReply":"Nurse"},{"id":2,"replyType":"DOC","documentUrl":"https://x.example/p.pdf"}]}}}`))
	if _, err := r.Submit(answers, now); err != nil {
		t.Fatal(err)
	}
	if err := r.Review([]int{1}, map[int]string{3: "no"}, now); err == nil {
		t.Error("a verdict on an unanswered question was accepted")
	}
	later := now.Add(3 * day)
	if err := r.Review([]int{1}, map[int]string{2: "Too old"}, later); err != nil {
		t.Fatal(err)
	}
	if r.Status != RFISent || !r.ExpiresAt.Equal(later.Add(5*day)) || r.Questions[1].RejectionReason != "Too old" {
		t.Fatalf("after a rejection: %s, expires %s, %+v", r.Status, r.ExpiresAt, r.Questions[1])
	}
	p := NewRFIDocument(r, later, false).Data.Attributes
	if pr := p.Progress; pr.AcceptedQuestions != 1 || pr.RejectedQuestions != 1 || pr.PendingQuestions != 1 || pr.CompletionPercentage != 33 || pr.DaysUntilExpiry != 5 {
		t.Errorf("progress %+v", pr)
	}
	if q := p.Active.Questions; q[0].RequiresAction || !q[1].RequiresAction || !q[2].RequiresAction {
		t.Errorf("requiresAction %v %v %v, want false true true", q[0].RequiresAction, q[1].RequiresAction, q[2].RequiresAction)
	}
	again, _ := DecodeRFIAnswers([]byte(`{"data":{"attributes":{"rfiQuestionAnswers":[{"id":1,"replyType":"TEXT","textReply":"x"}]}}}`))
	if _, err := r.Submit(again, later); err == nil {
		t.Error("an answer to an accepted question, and none to the rejected one, was accepted")
	}
	fixed, _ := DecodeRFIAnswers([]byte(`{"data":{"attributes":{"rfiQuestionAnswers":[{"id":2,"replyType":"DOC","documentUrl":"https://x.example/new.pdf"}]}}}`))
	if _, err := r.Submit(fixed, later); err != nil {
		t.Fatal(err)
	}
	if err := r.Review([]int{2}, nil, later); err != nil || r.Status != RFICompleted {
		t.Fatalf("after accepting the rest: %v %s", err, r.Status)
	}
	if err := r.Transition(RFIExpired, later); AsError(err) == nil || AsError(err).Code != CodeFailedDependency {
		t.Errorf("transition of a completed RFI: %v, want STXE-8000", err)
	}
}

// TestRFIExpiredProgress: an expired RFI counts the whole days since its expiry and has
// none left; only an onboarding one rejects a still-pending profile.
func TestRFIExpiredProgress(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := testRFI(t, now)
	at := now.Add(8*day + time.Hour)
	if err := r.Transition(RFIExpired, at); err != nil {
		t.Fatal(err)
	}
	if pr := NewRFIDocument(r, at, false).Data.Attributes.Progress; pr.DaysExpired != 3 || pr.DaysUntilExpiry != 0 {
		t.Errorf("progress %+v, want 3 days expired", pr)
	}
	if !r.RejectsProfile(StatusPending) || r.RejectsProfile(StatusVerified) {
		t.Error("an expired onboarding RFI must reject a pending profile, and only that")
	}
	r.Onboarding = false
	if r.RejectsProfile(StatusPending) {
		t.Error("an RFI raised after onboarding rejected its profile")
	}
}
