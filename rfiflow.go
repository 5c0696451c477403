package kyc

import (
	"slices"
	"time"
)

// NewRFI makes an RFI from a request for a profile of the given status, sent at now. The
// expiry counts whole days from now: the request's, or the default for the status.
func NewRFI(id string, p *Profile, req RFIRequest, days RFIExpiryDays, now time.Time) (*RFI, error) {
	if p.Kind.Model != ModelCPPlus {
		return nil, NotAllowed("RFIs are raised for Customer Profile+ (CP+) profiles only: a regular CP has no KYC review")
	}
	if p.Status == StatusRejected {
		return nil, RFINotRaisable(p.Status)
	}
	if req.ExpiryDays == 0 {
		req.ExpiryDays = days.For(p.Status)
	}
	return &RFI{
		ID: id, AccountID: p.AccountID, ProfileID: p.ID, Status: RFISent,
		Onboarding: p.Status == StatusPending, ExpiryDays: req.ExpiryDays, Questions: req.Questions,
		CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(time.Duration(req.ExpiryDays) * day),
	}, nil
}

func (r *RFI) question(id int) *Question {
	for i := range r.Questions {
		if r.Questions[i].ID == id {
			return &r.Questions[i]
		}
	}
	return nil
}

// Submit records the answers of a submission. There are no partial submissions: every
// mandatory question that waits for an answer must be answered, and every problem, each
// missing answer included, is reported in one 400.
func (r *RFI) Submit(answers Answers, now time.Time) ([]SubmittedReply, error) {
	if r.Status != RFISent {
		return nil, RFINotOpen(r, "answers are accepted only while it is sent")
	}
	problems := answers.problems
	given := map[int]bool{}
	for _, ans := range answers.List {
		if msg := r.answerProblem(ans, given); msg != "" && !ans.bad {
			problems = append(problems, Invalid(ans.path, "%s", msg))
		}
		given[ans.QuestionID] = true
	}
	for _, q := range r.Questions {
		if q.due() && !q.Optional && !given[q.ID] {
			problems = append(problems, FieldError{Field: "data.attributes.rfiQuestionAnswers", Code: CodeMissing,
				Message: questionsMessage(q.ID, "the answer is missing")})
		}
	}
	if len(problems) > 0 {
		sortProblems(problems)
		return nil, Validation(problems)
	}
	saved := make([]SubmittedReply, 0, len(answers.List))
	for _, ans := range answers.List {
		q := r.question(ans.QuestionID)
		reply := ans.Reply
		q.Reply, q.Status, q.RejectionReason = &reply, QuestionSubmitted, ""
		saved = append(saved, SubmittedReply{ID: q.ID, Status: QuestionSubmitted, Message: savedMessage[q.ReplyType]})
	}
	r.Status, r.UpdatedAt = RFIReceived, now
	return saved, nil
}

var savedMessage = map[string]string{
	ReplyText:     "Text response saved successfully",
	ReplyCheckbox: "Checkbox response saved successfully",
	ReplyDoc:      "Document response saved successfully",
}

// answerProblem says what is wrong with one answer given its question, "" when nothing.
func (r *RFI) answerProblem(ans Answer, given map[int]bool) string {
	q := r.question(ans.QuestionID)
	switch {
	case q == nil:
		return questionsMessage(ans.QuestionID, "not a question of this RFI")
	case given[q.ID]:
		return questionsMessage(q.ID, "answered twice")
	case !q.due():
		return questionsMessage(q.ID, "already %s", q.Status)
	case ans.ReplyType != q.ReplyType:
		return questionsMessage(q.ID, "replyType must be %s", q.ReplyType)
	}
	for _, o := range ans.Reply.SelectedOptions {
		if !slices.Contains(q.Options, o) {
			return questionsMessage(q.ID, "`%s` is not one of its options (they are case-sensitive)", echo(o))
		}
	}
	return ""
}

// Review applies a reviewer's verdicts on submitted answers: accepted, or rejected with a
// reason (asked again). Any rejection sends the RFI back to the customer, with a new
// period to answer in; once no answer waits for review and none was rejected, the RFI is
// completed.
func (r *RFI) Review(accept []int, reject map[int]string, now time.Time) error {
	if r.Status != RFIReceived {
		return RFINotOpen(r, "only submitted answers are reviewed")
	}
	for _, id := range append(slices.Clone(accept), keys(reject)...) {
		if q := r.question(id); q == nil || q.Status != QuestionSubmitted {
			return BadInput("Question %d has no answer waiting for review", id)
		}
	}
	for _, id := range accept {
		r.question(id).Status = QuestionAccepted
	}
	for id, reason := range reject {
		q := r.question(id)
		q.Status, q.RejectionReason = QuestionRejected, reason
	}
	r.UpdatedAt = now
	switch {
	case len(reject) > 0:
		r.Status, r.ExpiresAt = RFISent, now.Add(time.Duration(r.ExpiryDays)*day)
	case !slices.ContainsFunc(r.Questions, func(q Question) bool { return q.Status == QuestionSubmitted }):
		r.Status = RFICompleted
	}
	return nil
}

func keys(m map[int]string) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Transition is the sandbox's shortcut: an outstanding RFI becomes completed (its
// submitted answers accepted) or expired, as if the review or the deadline had come.
func (r *RFI) Transition(to RFIStatus, now time.Time) error {
	if !r.Status.Outstanding() {
		return RFINotOpen(r, "only a sent or received RFI changes status")
	}
	if to == RFICompleted {
		for i := range r.Questions {
			if r.Questions[i].Status == QuestionSubmitted {
				r.Questions[i].Status = QuestionAccepted
			}
		}
	}
	r.Status, r.UpdatedAt = to, now
	return nil
}

// RejectsProfile reports whether the RFI, now expired, rejects a profile of the given
// status: an onboarding RFI whose profile is still pending (code 405). An RFI raised after
// verification leaves the decision to a reviewer.
func (r *RFI) RejectsProfile(s Status) bool {
	return r.Status == RFIExpired && r.Onboarding && s == StatusPending
}

// ExpiryDecision is the decision an expired onboarding RFI makes for its profile.
func ExpiryDecision() Decision {
	return Decision{Status: StatusRejected, Codes: []int{RejectionRFIExpired}}
}

// RejectionRFIExpired is the published rejection code of an RFI that expired.
const RejectionRFIExpired = 405
