package console

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/openkyc/kyc"
)

type profileData struct {
	pageData
	Profile     *kyc.Profile
	Name        string
	AccountName string
	Sections    []section
	History     []kyc.Transition
	RFIs        []kyc.RFI
	Outstanding *kyc.RFI
	Reasons     []kyc.RejectionReason
	Audit       []auditRow // the newest records of the profile's audit trail
	Screening   *kyc.ProfileScreening
	Hits        []hitRow
	Unresolved  int  // hits without a resolution
	Confirmed   int  // hits confirmed as true matches
	Decidable   bool // pending, or verified (a verification may be revoked)
}

func (c *Console) profile(w http.ResponseWriter, r *http.Request) {
	c.showProfile(w, r, nil)
}

// showProfile renders the profile of the path, with problem when one of its forms was
// refused: a *kyc.Error, whose message is safe to show and whose status the page takes.
func (c *Console) showProfile(w http.ResponseWriter, r *http.Request, problem *kyc.Error) {
	d, err := c.profileData(r)
	if errors.Is(err, kyc.ErrNotFound) {
		c.fail(w, r, http.StatusNotFound, "There is no profile with that id.")
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	status := http.StatusOK
	if problem != nil {
		status, d.Error, d.cause = problem.Status, problemText(problem), problem
	}
	c.render(w, r, status, "profile", d)
}

func (c *Console) profileData(r *http.Request) (*profileData, error) {
	ctx := r.Context()
	p, err := c.db.FindProfileAnyAccount(ctx, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	d := &profileData{Profile: p, Name: displayName(p), Sections: sections(p), Reasons: kyc.RejectionReasons(),
		Decidable: p.Status == kyc.StatusPending || p.Status == kyc.StatusVerified}
	d.Title = d.Name
	a, err := c.db.FindAccountByID(ctx, p.AccountID)
	if err != nil {
		return nil, err
	}
	d.AccountName = a.Name
	if d.History, err = c.db.FindProfileHistory(ctx, p.AccountID, p.ID); err != nil {
		return nil, err
	}
	if d.RFIs, err = c.db.FindRFIs(ctx, p.AccountID, p.ID); err != nil {
		return nil, err
	}
	d.Outstanding = kyc.Outstanding(d.RFIs)
	if d.Screening, d.Hits, err = c.screeningData(r, p); err != nil {
		return nil, err
	}
	if d.Screening != nil {
		d.Unresolved, d.Confirmed = d.Screening.Unresolved()
	}
	d.Audit, err = c.auditTrail(r, p.ID)
	return d, err
}

// actor is the signed-in reviewer, as the profile's history records them.
func actor(r *http.Request) kyc.Actor {
	return kyc.Actor{Type: kyc.ActorReviewer, Name: sessionFrom(r).Reviewer.Name}
}

func (c *Console) verify(w http.ResponseWriter, r *http.Request) {
	c.decide(w, r, kyc.Decision{Status: kyc.StatusVerified}, "verified")
}

// reject reads the rejection form: catalogued codes (checkboxes), retryable (auto, true or
// false) and a summary. The decision is checked as the sandbox endpoint's body is
// (kyc.DecodeDecision), then decided as every decision is.
func (c *Console) reject(w http.ResponseWriter, r *http.Request) {
	d := kyc.Decision{Status: kyc.StatusRejected, Summary: strings.TrimSpace(r.PostForm.Get("summary"))}
	for _, s := range r.PostForm["code"] {
		n, err := strconv.Atoi(s)
		if err != nil {
			c.showProfile(w, r, kyc.BadInput("A reason code is not a number."))
			return
		}
		d.Codes = append(d.Codes, n)
	}
	if v := r.PostForm.Get("retryable"); v == "true" || v == "false" {
		b := v == "true"
		d.Retryable = &b
	}
	if len(d.Codes) == 0 {
		c.showProfile(w, r, kyc.BadInput("Choose at least one reason code."))
		return
	}
	body, err := d.MarshalJSON()
	if err == nil {
		d, err = kyc.DecodeDecision(body)
	}
	if err != nil {
		c.refused(w, r, err)
		return
	}
	c.decide(w, r, d, "rejected")
}

// decide applies d through the store's one decision path, as the reviewer signed in.
func (c *Console) decide(w http.ResponseWriter, r *http.Request, d kyc.Decision, notice string) {
	p, err := c.db.FindProfileAnyAccount(r.Context(), r.PathValue("id"))
	if err == nil {
		_, err = c.db.DecideProfile(r.Context(), p.AccountID, p.ID, d, actor(r))
	}
	if err != nil {
		c.refused(w, r, err)
		return
	}
	c.log.Info("console decision", "reviewer", sessionFrom(r).Reviewer.ID, "profile", p.ID, "status", string(d.Status))
	c.backToProfile(w, r, notice)
}

func (c *Console) backToProfile(w http.ResponseWriter, r *http.Request, notice string) {
	c.redirect(w, r, "/console/profiles/"+r.PathValue("id")+"?m="+notice)
}

// refused shows the profile again with why a form was refused: a *kyc.Error's message,
// which is safe to show; anything else is internal.
func (c *Console) refused(w http.ResponseWriter, r *http.Request, err error) {
	e := kyc.AsError(err)
	if e == nil {
		c.internal(w, r, err)
		return
	}
	c.showProfile(w, r, e)
}

// problemText is an error's message and those of its other details.
func problemText(e *kyc.Error) string {
	msg := e.Message
	for _, d := range e.Details[min(1, len(e.Details)):] {
		msg += " " + d.Message
	}
	return msg
}
