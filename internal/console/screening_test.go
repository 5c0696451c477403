package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/fixtures"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/risk"
	"github.com/openkyc/kyc/internal/screening"
	"github.com/openkyc/kyc/internal/store"
)

// newScreened creates a pending personal profile named name in account, screened against
// the sandbox's fictional list and rated by the default rules, as kyc serve does.
func (e *env) newScreened(account, first, last string) *kyc.Profile {
	e.t.Helper()
	a, err := e.db.CreateAccount(e.t.Context(), account)
	if err != nil {
		e.t.Fatal(err)
	}
	ix := screening.NewIndex([]screening.Loaded{screening.SandboxList()})
	assess := store.Assess{Screen: func(p *kyc.Profile) *kyc.ProfileScreening { return ix.ScreenProfile(p, e.clock.Now()) },
		Rate: risk.Default().RateProfile}
	body := fixtures.Full(kyc.PersonalCPPlus.Name)
	body["customerFirstName"], body["customerLastName"], body["customerName"] = first, last, first+" "+last
	p, err := e.db.CreateAssessedProfile(e.t.Context(), a.ID, kyc.PersonalCPPlus, kyctest.Data(e.t, kyc.PersonalCPPlus, body), assess)
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// A profile with a screening hit comes first in the queue (its rating is higher), shows
// the hit with a resolve form, cannot be verified until the hit is resolved, and is
// verified after; the resolution is audited.
func TestScreeningHitsInTheConsole(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		secret := e.reviewer("Grace Hopper", "grace@example.com", kyc.RoleReviewer)
		clean := e.newScreened("acme", "AMELIA", "CLEAN")
		e.clock.Advance(1)
		hit := e.newScreened("globex", "PETRA", "WATCHLISTER")
		if hit.Risk == nil || clean.Risk == nil || hit.Risk.Score <= clean.Risk.Score {
			t.Fatalf("ratings: hit %+v, clean %+v", hit.Risk, clean.Risk)
		}
		b := e.signIn("grace@example.com", secret)
		q := b.get("/console/queue")
		if i, j := strings.Index(q.body, hit.ID), strings.Index(q.body, clean.ID); i < 0 || j < 0 || (hit.Risk.Level != clean.Risk.Level && i > j) {
			t.Errorf("queue order: the riskier profile at %d, the other at %d", i, j)
		}
		if q := b.get("/console/queue?hits=yes"); !strings.Contains(q.body, hit.ID) || strings.Contains(q.body, clean.ID) {
			t.Error("the unresolved-hits filter did not filter")
		}
		if q := b.get("/console/queue?risk=" + hit.Risk.Level); !strings.Contains(q.body, hit.ID) {
			t.Error("the risk filter does not find the profile at its level")
		}
		page := b.get("/console/profiles/" + hit.ID)
		s, err := e.db.FindScreening(t.Context(), hit.AccountID, hit.ID)
		if err != nil || len(s.Hits) == 0 {
			t.Fatalf("screening %+v, %v", s, err)
		}
		h := s.Hits[0]
		action := "/console/profiles/" + hit.ID + "/hits/" + h.ID + "/resolve"
		for _, want := range []string{"sandbox version 1", h.MatchedName, `action="` + action + `"`, ">Resolve</button>", "Risk rating"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("profile page lacks %q", want)
			}
		}
		token := page.csrf(t)
		if p := b.post("/console/profiles/"+hit.ID+"/verify", url.Values{"csrf": {token}}); p.status != http.StatusBadRequest ||
			!strings.Contains(p.body, "unresolved screening hit") {
			t.Errorf("verify with an unresolved hit: %d", p.status)
		}
		if p := b.post(action, url.Values{"csrf": {token}, "as": {"false_positive"}}); p.status != http.StatusBadRequest {
			t.Errorf("resolve without a reason: %d", p.status)
		}
		if p := b.post(action, url.Values{"csrf": {token}, "as": {"false_positive"}, "reason": {"Different date of birth"}}); p.status != http.StatusSeeOther {
			t.Fatalf("resolve: %d", p.status)
		}
		s, _ = e.db.FindScreening(t.Context(), hit.AccountID, hit.ID)
		if r := s.Hits[0].Resolution; r == nil || r.As != kyc.FalsePositive || r.By != "Grace Hopper" {
			t.Errorf("resolution %+v", r)
		}
		if p := b.post("/console/profiles/"+hit.ID+"/verify", url.Values{"csrf": {token}}); p.status != http.StatusSeeOther {
			t.Errorf("verify once the hit is resolved: %d", p.status)
		}
		recs, _ := e.db.FindAuditRecords(t.Context(), store.AuditQuery{ProfileID: hit.ID, Action: kyc.AuditScreeningDecide, Limit: 10})
		if len(recs) != 2 || recs[0].Outcome == kyc.AuditOK || recs[1].Outcome != kyc.AuditOK || recs[1].Targets[1] != h.ID {
			t.Errorf("audit records of the resolutions: %+v", recs)
		}
	})
}
