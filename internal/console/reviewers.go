package console

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// Invite adds a reviewer, status invited, and returns the token of their one-time
// enrolment link (EnrolPath), which is shown once and kept only as a hash. kyc reviewer add
// and the console's reviewers page both invite through it.
func Invite(ctx context.Context, db *store.DB, name, email string, role kyc.Role, now time.Time) (string, *kyc.Reviewer, error) {
	if msg := checkReviewer(name, email); msg != "" {
		return "", nil, errors.New(msg)
	}
	secret, token, hash, err := newEnrolment(email)
	if err != nil {
		return "", nil, err
	}
	rv, err := db.CreateReviewer(ctx, store.NewReviewer{Name: name, Email: email, Role: role, TOTPSecret: secret,
		EnrolHash: hash, EnrolExpires: now.Add(EnrolLifetime)})
	return token, rv, err
}

// newEnrolment makes what an enrolment needs: a TOTP secret for email, and a link's token
// with the hash the store keeps of it.
func newEnrolment(email string) (secret, token, hash string, err error) {
	key, err := NewTOTPKey(store.NormalizeEmail(email))
	if err != nil {
		return "", "", "", err
	}
	token, hash, err = NewEnrolment()
	return key.Secret(), token, hash, err
}

// Reinvite starts the enrolment of the reviewer with the email again (store.ReinviteReviewer):
// a new TOTP secret and a new link, whose token it returns; their password, second factor
// and sessions end at once.
func Reinvite(ctx context.Context, db *store.DB, email string, now time.Time) (string, *kyc.Reviewer, error) {
	secret, token, hash, err := newEnrolment(email)
	if err != nil {
		return "", nil, err
	}
	rv, _, err := db.ReinviteReviewer(ctx, email, secret, hash, now.Add(EnrolLifetime))
	return token, rv, err
}

// EnrolPath is the path of the enrolment link of token.
func EnrolPath(token string) string { return Prefix + "enrol/" + token }

func checkReviewer(name, email string) string {
	name, email = strings.TrimSpace(name), strings.TrimSpace(email)
	switch {
	case name == "" || utf8.RuneCountInString(name) > 100 || strings.ContainsAny(name, "\r\n"):
		return "The name must be 1 to 100 characters on one line."
	case len(email) > 254 || strings.Count(email, "@") != 1 || strings.HasPrefix(email, "@") || strings.HasSuffix(email, "@") ||
		strings.ContainsAny(email, " \r\n\t"):
		return "The email must be an address such as name@example.com."
	}
	return ""
}

type reviewersData struct {
	pageData
	Reviewers []kyc.Reviewer
	Link      string // the enrolment link of the reviewer just added
	Roles     []kyc.Role
}

// admin serves fn to admins only.
func (c *Console) admin(fn http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if sessionFrom(r).Reviewer.Role != kyc.RoleAdmin {
			c.fail(w, r, http.StatusForbidden, notices["notallowed"])
			return
		}
		fn(w, r)
	}
}

func (c *Console) reviewers(w http.ResponseWriter, r *http.Request) {
	c.showReviewers(w, r, http.StatusOK, &reviewersData{})
}

func (c *Console) showReviewers(w http.ResponseWriter, r *http.Request, status int, d *reviewersData) {
	all, err := c.db.FindReviewers(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	d.Title, d.Reviewers, d.Roles = "Reviewers", all, []kyc.Role{kyc.RoleReviewer, kyc.RoleAdmin}
	c.render(w, r, status, "reviewers", d)
}

func (c *Console) addReviewer(w http.ResponseWriter, r *http.Request) {
	d := &reviewersData{}
	role, err := kyc.ParseRole(r.PostForm.Get("role"))
	if err != nil {
		d.Error = "Choose a role: reviewer or admin."
		c.showReviewers(w, r, http.StatusBadRequest, d)
		return
	}
	token, rv, err := Invite(r.Context(), c.db, r.PostForm.Get("name"), r.PostForm.Get("email"), role, c.now())
	switch {
	case errors.Is(err, store.ErrReviewerExists):
		d.Error = "A reviewer with that email exists."
	case err != nil && checkReviewer(r.PostForm.Get("name"), r.PostForm.Get("email")) != "":
		d.Error = err.Error()
	case err != nil:
		c.internal(w, r, err)
		return
	}
	if d.Error != "" {
		c.showReviewers(w, r, http.StatusBadRequest, d)
		return
	}
	c.log.Info("console reviewer added", "by", sessionFrom(r).Reviewer.ID, "reviewer", rv.ID, "role", string(rv.Role))
	d.Link = c.origin(r) + EnrolPath(token)
	d.Notice = "The reviewer is added. Give them this enrolment link, which works once, within 72 hours: it is not shown again."
	c.showReviewers(w, r, http.StatusOK, d)
}

func (c *Console) origin(r *http.Request) string {
	if c.secure(r) {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

func (c *Console) disableReviewer(w http.ResponseWriter, r *http.Request) {
	rv, _, err := c.db.DisableReviewer(r.Context(), r.PostForm.Get("email"))
	if errors.Is(err, store.ErrNoReviewer) {
		c.fail(w, r, http.StatusNotFound, "There is no reviewer with that email.")
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.log.Info("console reviewer disabled", "by", sessionFrom(r).Reviewer.ID, "reviewer", rv.ID)
	http.Redirect(w, r, "/console/reviewers?m=disabled", http.StatusSeeOther)
}
