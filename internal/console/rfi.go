package console

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/openkyc/kyc"
)

// maxRejectReason bounds the reason a reviewer gives for sending an answer back.
const maxRejectReason = 1000

// raiseRFI raises an RFI with the form's questions, one a line, each a required text
// question. The request is checked as the sandbox endpoint's body is (kyc.DecodeRFIRequest).
func (c *Console) raiseRFI(w http.ResponseWriter, r *http.Request) {
	type question struct {
		Text     string `json:"text"`
		Type     string `json:"type"`
		Required bool   `json:"required"`
	}
	attrs := map[string]any{}
	var qs []question
	for _, line := range strings.Split(r.PostForm.Get("questions"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			qs = append(qs, question{Text: line, Type: kyc.ReplyText, Required: true})
		}
	}
	attrs["questions"] = qs
	if s := strings.TrimSpace(r.PostForm.Get("expiryDays")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			c.showProfile(w, r, kyc.BadInput("Days to answer must be a whole number."))
			return
		}
		attrs["expiryDays"] = n
	}
	body, _ := json.Marshal(map[string]any{"data": map[string]any{"attributes": attrs}}) // strings, ints, bools: cannot fail
	req, err := kyc.DecodeRFIRequest(body)
	if err != nil {
		c.refused(w, r, err)
		return
	}
	p, err := c.db.FindProfileAnyAccount(r.Context(), r.PathValue("id"))
	if err == nil {
		_, err = c.db.CreateRFI(r.Context(), p.AccountID, p.ID, req, c.cfg.RFIExpiryDays)
	}
	if err != nil {
		c.refused(w, r, err)
		return
	}
	c.log.Info("console rfi raised", "reviewer", sessionFrom(r).Reviewer.ID, "profile", p.ID)
	c.backToProfile(w, r, "rfi")
}

// reviewRFI records the reviewer's verdict on each submitted answer: accept, or reject
// with a reason (the answer goes back to the customer).
func (c *Console) reviewRFI(w http.ResponseWriter, r *http.Request) {
	d, err := c.profileData(r)
	if err != nil {
		c.refused(w, r, err)
		return
	}
	var rfi *kyc.RFI
	for i := range d.RFIs {
		if d.RFIs[i].ID == r.PathValue("rfi") {
			rfi = &d.RFIs[i]
		}
	}
	if rfi == nil {
		c.fail(w, r, http.StatusNotFound, "This profile has no such request for information.")
		return
	}
	accept, reject, msg := verdicts(rfi, r)
	if msg != "" {
		c.showProfile(w, r, kyc.BadInput("%s", msg))
		return
	}
	if _, err := c.db.ReviewRFI(r.Context(), rfi.ID, accept, reject, sessionFrom(r).Reviewer.Name); err != nil {
		c.refused(w, r, err)
		return
	}
	c.backToProfile(w, r, "rfireview")
}

// verdicts reads the form's verdict of each submitted answer: q<ID> = accept | reject,
// reason<ID> the reason of a rejection.
func verdicts(rfi *kyc.RFI, r *http.Request) (accept []int, reject map[int]string, msg string) {
	reject = map[int]string{}
	for _, q := range rfi.Questions {
		if q.Status != kyc.QuestionSubmitted {
			continue
		}
		id := strconv.Itoa(q.ID)
		switch r.PostForm.Get("q" + id) {
		case "accept":
			accept = append(accept, q.ID)
		case "reject":
			reason := strings.TrimSpace(r.PostForm.Get("reason" + id))
			if reason == "" || utf8.RuneCountInString(reason) > maxRejectReason {
				return nil, nil, "Say why answer " + id + " is rejected, in at most 1000 characters."
			}
			reject[q.ID] = reason
		}
	}
	if len(accept)+len(reject) == 0 {
		return nil, nil, "Accept or reject at least one answer."
	}
	return accept, reject, ""
}
