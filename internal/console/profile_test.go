package console_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/console"
	"github.com/openkyc/kyc/internal/fixtures"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/schema"
	"github.com/openkyc/kyc/internal/store"
)

// newProfile creates a pending profile of kind k in a new account.
func (e *env) newProfile(account string, k *kyc.Kind) *kyc.Profile {
	e.t.Helper()
	a, err := e.db.CreateAccountWithModel(e.t.Context(), account, k.Model)
	if err != nil {
		e.t.Fatal(err)
	}
	p, err := e.db.CreateProfile(e.t.Context(), a.ID, k, kyctest.Data(e.t, k, fixtures.Full(k.Name)))
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// A reviewer finds profiles in the queue, rejects one with codes and verifies another:
// each decision goes through the store's decision path, so the history names the reviewer
// and the platform's webhook event is queued, as for the API and the CLI.
func TestDecisions(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		secret := e.reviewer("Grace Hopper", "grace@example.com", kyc.RoleReviewer)
		person := e.newProfile("acme", kyc.PersonalCPPlus)
		company := e.newProfile("globex", kyc.BusinessCPPlus)
		b := e.signIn("grace@example.com", secret)

		q := b.get("/console/queue")
		for _, id := range []string{person.ID, company.ID} {
			if !strings.Contains(q.body, "/console/profiles/"+id) {
				t.Errorf("queue does not list %s", id)
			}
		}
		if q := b.get("/console/queue?kind=business_cp_plus"); strings.Contains(q.body, person.ID) || !strings.Contains(q.body, company.ID) {
			t.Error("the kind filter did not filter")
		}
		page := b.get("/console/profiles/" + company.ID)
		if testing.Verbose() {
			t.Log(page.body)
		}
		for _, want := range []string{"<h3 id=\"s-0\">Identity</h3>", "Director 1", `target="_blank" rel="noopener noreferrer"`, ">Reject</button>", ">Verify</button>"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("business profile page lacks %q", want)
			}
		}
		token := page.csrf(t)
		if p := b.post("/console/profiles/"+person.ID+"/reject", url.Values{"csrf": {token}, "code": {"999"}}); p.status != http.StatusBadRequest {
			t.Errorf("reject with an uncatalogued code: %d", p.status)
		}
		p := b.post("/console/profiles/"+person.ID+"/reject", url.Values{"csrf": {token}, "code": {"101", "102"}, "retryable": {"auto"},
			"summary": {"Blurred documents"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("reject: %d", p.status)
		}
		got, _ := e.db.FindProfileByID(t.Context(), person.AccountID, person.ID)
		if got.Status != kyc.StatusRejected || got.Rejection.Summary != "Blurred documents" || len(got.Rejection.Codes) != 2 {
			t.Errorf("after reject: %s %+v", got.Status, got.Rejection)
		}
		wantDecision(t, e, got, kyc.StatusRejected, "Grace Hopper")
		if p := b.post("/console/profiles/"+company.ID+"/verify", url.Values{"csrf": {token}}); p.status != http.StatusSeeOther {
			t.Fatalf("verify: %d", p.status)
		}
		got, _ = e.db.FindProfileByID(t.Context(), company.AccountID, company.ID)
		wantDecision(t, e, got, kyc.StatusVerified, "Grace Hopper")
		if p := b.post("/console/profiles/"+person.ID+"/verify", url.Values{"csrf": {token}}); p.status != kyc.ErrConditions.Status {
			t.Errorf("verify of a rejected profile: %d, want the decision rules' %d", p.status, kyc.ErrConditions.Status)
		}
		if q := b.get("/console/queue"); strings.Contains(q.body, "/console/profiles/") {
			t.Error("decided profiles are still in the queue")
		}
		rv, _ := e.db.FindReviewers(t.Context())
		wantAudit(t, e, person.ID, rv[0].ID, []string{
			kyc.AuditProfileList + " ok", kyc.AuditProfileDecide + " XFE12", kyc.AuditProfileDecide + " ok", kyc.AuditProfileDecide + " STXE-4000"})
		// A list's record is found by its first profile (the queue by kind listed the company first).
		wantAudit(t, e, company.ID, rv[0].ID, []string{kyc.AuditProfileList + " ok", kyc.AuditProfileGet + " ok", kyc.AuditProfileDecide + " ok"})
		if page := b.get("/console/profiles/" + person.ID); !strings.Contains(page.body, "reviewer Grace Hopper</td><td>profile.decide</td><td>STXE-4000") {
			t.Error("the profile's audit trail does not show the refused decision")
		}
	})
}

// wantAudit checks the actions and outcomes of the profile's audit records, oldest first,
// every one by the reviewer.
func wantAudit(t *testing.T, e *env, profileID, reviewerID string, want []string) {
	t.Helper()
	recs, err := e.db.FindAuditRecords(t.Context(), store.AuditQuery{ProfileID: profileID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs {
		got = append(got, r.Action+" "+r.Outcome)
		if r.Actor != (kyc.AuditActor{Type: kyc.AuditByReviewer, ID: reviewerID}) {
			t.Errorf("record %d by %+v", r.Seq, r.Actor)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("audit trail of %s:\n got %q\nwant %q", profileID, got, want)
	}
}

func wantDecision(t *testing.T, e *env, p *kyc.Profile, status kyc.Status, reviewer string) {
	t.Helper()
	h, err := e.db.FindProfileHistory(t.Context(), p.AccountID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := h[len(h)-1]
	if last.To != status || last.Actor != (kyc.Actor{Type: kyc.ActorReviewer, Name: reviewer}) {
		t.Errorf("history ends with %+v, want %s by reviewer %s", last, status, reviewer)
	}
	events, err := e.db.FindWebhookEvents(t.Context(), p.AccountID, "")
	if err != nil || len(events) != 1 || events[0].Event != kyc.EventVerificationStatusUpdated || !strings.Contains(string(events[0].Body), string(status)) {
		t.Errorf("webhook events %+v, %v", events, err)
	}
}

// An RFI raised in the console blocks verification until it is answered and accepted.
func TestRaiseAndReviewRFI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		secret := e.reviewer("Grace", "grace@example.com", kyc.RoleReviewer)
		p := e.newProfile("acme", kyc.PersonalCPPlus)
		b := e.signIn("grace@example.com", secret)
		token := b.get("/console/profiles/" + p.ID).csrf(t)
		form := url.Values{"csrf": {token}, "questions": {"What is your source of funds?\n\nWho is your employer?"}, "expiryDays": {"7"}}
		if r := b.post("/console/profiles/"+p.ID+"/rfis", form); r.status != http.StatusSeeOther {
			t.Fatalf("raise RFI: %d", r.status)
		}
		rfis, _ := e.db.FindRFIs(t.Context(), p.AccountID, p.ID)
		if len(rfis) != 1 || len(rfis[0].Questions) != 2 || rfis[0].ExpiryDays != 7 || rfis[0].Status != kyc.RFISent {
			t.Fatalf("RFIs %+v", rfis)
		}
		if q := b.get("/console/queue?rfi=sent"); !strings.Contains(q.body, p.ID) {
			t.Error("the RFI filter does not find the profile")
		}
		if r := b.post("/console/profiles/"+p.ID+"/verify", url.Values{"csrf": {token}}); r.status == http.StatusSeeOther {
			t.Error("verified with an outstanding RFI")
		}
		answers := kyc.Answers{}
		for _, q := range rfis[0].Questions {
			answers.List = append(answers.List, kyc.Answer{QuestionID: q.ID, ReplyType: kyc.ReplyText, Reply: kyc.Reply{TextReply: "An answer"}})
		}
		if _, _, err := e.db.SubmitRFI(t.Context(), p.AccountID, p.ID, rfis[0].ID, answers); err != nil {
			t.Fatal(err)
		}
		review := url.Values{"csrf": {token}, "q1": {"accept"}, "q2": {"reject"}}
		path := "/console/profiles/" + p.ID + "/rfis/" + rfis[0].ID + "/review"
		if r := b.post(path, review); r.status != http.StatusBadRequest {
			t.Errorf("send back without a reason: %d", r.status)
		}
		review.Set("reason2", "Name the employer")
		if r := b.post(path, review); r.status != http.StatusSeeOther {
			t.Fatalf("review: %d", r.status)
		}
		rfis, _ = e.db.FindRFIs(t.Context(), p.AccountID, p.ID)
		if rfis[0].Status != kyc.RFISent || rfis[0].Questions[0].Status != kyc.QuestionAccepted || rfis[0].Questions[1].RejectionReason != "Name the employer" {
			t.Errorf("after review: %+v", rfis[0])
		}
	})
}

// Every top-level field of every kind is placed in a named section or is a nested part
// with a section of its own, so that no field is shown under a heading it does not belong to.
func TestEveryTopLevelFieldHasASection(t *testing.T) {
	for _, k := range kyc.Kinds {
		for _, f := range k.Schema.Fields {
			if f.Type == schema.Object || f.Type == schema.Objects {
				continue
			}
			if !console.SectionOf(f.Name) {
				t.Errorf("%s.%s has no section", k.Name, f.Name)
			}
		}
	}
}
