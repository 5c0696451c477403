package console

import (
	"errors"
	"net/http"
	"strings"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// hitRow is a hit of the profile's latest screening as its page shows it: the subject
// screened (the customer, or which director, owner or trader) beside the list entry.
type hitRow struct {
	kyc.ProfileHit
	Subject string
}

// screeningData reads the profile's latest screening; a profile screened before screening
// came (or in a store without lists) has none.
func (c *Console) screeningData(r *http.Request, p *kyc.Profile) (*kyc.ProfileScreening, []hitRow, error) {
	s, err := c.db.FindScreening(r.Context(), p.AccountID, p.ID)
	if errors.Is(err, kyc.ErrNotScreened) {
		return nil, nil, nil
	}
	if err != nil || s == nil {
		return nil, nil, err
	}
	subjects := map[string]kyc.ScreenedSubject{}
	for _, sub := range s.Subjects {
		subjects[sub.Path] = sub
	}
	rows := make([]hitRow, len(s.Hits))
	for i, h := range s.Hits {
		sub := subjects[h.Subject]
		rows[i] = hitRow{ProfileHit: h, Subject: humanize(sub.Role)}
		if sub.Path != "" {
			rows[i].Subject += " (" + sub.Path + ")"
		}
		if sub.Name != "" {
			rows[i].Subject += ": " + sub.Name
		}
	}
	return s, rows, nil
}

// resolveHit records the reviewer's resolution of a hit (false positive or true match,
// with a reason) and rates the profile again with serve's risk rules, as kyc screening
// resolve does.
func (c *Console) resolveHit(w http.ResponseWriter, r *http.Request) {
	res := kyc.HitResolution{As: r.PostForm.Get("as"), Reason: strings.TrimSpace(r.PostForm.Get("reason")),
		By: sessionFrom(r).Reviewer.Name}
	if err := kyc.CheckResolution(res); err != nil {
		c.refused(w, r, err)
		return
	}
	_, err := c.db.ResolveHit(r.Context(), r.PathValue("id"), r.PathValue("hit"), res, store.Assess{Rate: c.cfg.RiskRules.RateProfile})
	if err != nil {
		c.refused(w, r, err)
		return
	}
	c.log.Info("console hit resolved", "reviewer", sessionFrom(r).Reviewer.ID, "profile", r.PathValue("id"), "as", res.As)
	c.backToProfile(w, r, "resolved")
}
