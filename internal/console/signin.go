package console

import (
	"bytes"
	"encoding/base64"
	"errors"
	"html/template"
	"image/png"
	"net/http"
	"strings"

	"github.com/openkyc/kyc/internal/store"
)

// notices are the fixed messages a redirect may ask a page to show (?m=…): never text
// from the request itself.
var notices = map[string]string{
	"enrolled":   "You are enrolled. Sign in with your email, password and code.",
	"signedout":  "You are signed out.",
	"verified":   "The profile is verified.",
	"rejected":   "The profile is rejected.",
	"rfi":        "The request for information is sent.",
	"rfireview":  "Your review of the answers is recorded.",
	"resolved":   "The screening hit is resolved.",
	"added":      "The reviewer is added.",
	"disabled":   "The reviewer is disabled and their sessions are ended.",
	"notallowed": "Only an admin may do that.",
}

const signInFailed = "Sign-in failed: check your email, password and code. After 5 failures in a row the account is locked for 15 minutes."

type signInData struct {
	pageData
	Email        string
	TOTPRequired bool
}

func (c *Console) signInPage(w http.ResponseWriter, r *http.Request) {
	c.renderPre(w, r, http.StatusOK, "signin", &signInData{TOTPRequired: c.cfg.Production})
}

func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	email, pw, code := strings.TrimSpace(r.PostForm.Get("email")), r.PostForm.Get("password"), strings.TrimSpace(r.PostForm.Get("code"))
	login, err := c.db.FindLogin(r.Context(), email)
	if errors.Is(err, store.ErrNoReviewer) {
		_, _ = CheckPassword(dummyHash(), pw) // as long as a wrong password takes
		c.signInRefused(w, r, email)
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	step, ok := c.checkLogin(login, pw, code)
	if !ok {
		if err := c.db.LoginFailed(r.Context(), login.ID, MaxFailedLogins, LockoutTime); err != nil {
			c.internal(w, r, err)
			return
		}
		c.log.Info("console sign-in refused", "reviewer", login.ID)
		c.signInRefused(w, r, email)
		return
	}
	c.openSession(w, r, login, step)
}

// checkLogin checks the password and, when the reviewer has one or the console runs in
// production, the TOTP code; a locked-out reviewer is refused whatever they send. It
// returns the code's time step.
func (c *Console) checkLogin(l *store.Login, pw, code string) (int64, bool) {
	pwOK, err := CheckPassword(l.PasswordHash, pw)
	if err != nil || !pwOK || c.now().Before(l.LockedUntil) {
		return 0, false
	}
	if !l.TOTPEnabled {
		return 0, !c.cfg.Production
	}
	return CheckTOTP(l.TOTPSecret, code, c.now(), l.TOTPLastStep)
}

func (c *Console) signInRefused(w http.ResponseWriter, r *http.Request, email string) {
	d := &signInData{Email: email, TOTPRequired: c.cfg.Production}
	d.Error = signInFailed
	c.renderPre(w, r, http.StatusUnauthorized, "signin", d)
}

func (c *Console) openSession(w http.ResponseWriter, r *http.Request, l *store.Login, step int64) {
	id, err1 := newToken()
	csrf, err2 := newToken()
	if err := errors.Join(err1, err2); err != nil {
		c.internal(w, r, err)
		return
	}
	s := store.NewSession{IDHash: HashToken(id), CSRF: csrf, ExpiresAt: c.now().Add(SessionLifetime)}
	err := c.db.LoginSucceeded(r.Context(), l.ID, step, s)
	if errors.Is(err, store.ErrNoReviewer) { // the code was used meanwhile, or the reviewer disabled
		c.signInRefused(w, r, l.Email)
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.log.Info("console sign-in", "reviewer", l.ID)
	c.setCookie(w, r, sessionCookie, id, int(SessionLifetime.Seconds()))
	http.Redirect(w, r, "/console/queue", http.StatusSeeOther)
}

func (c *Console) signOut(w http.ResponseWriter, r *http.Request) {
	if err := c.db.DeleteSession(r.Context(), HashToken(c.cookie(r, sessionCookie))); err != nil {
		c.internal(w, r, err)
		return
	}
	c.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/console/signin?m=signedout", http.StatusSeeOther)
}

type enrolData struct {
	pageData
	Name, Email  string
	Secret       string
	QR           template.URL // a data: PNG of the otpauth:// link
	TOTPRequired bool
}

func (c *Console) enrolPage(w http.ResponseWriter, r *http.Request) {
	d, ok := c.enrolment(w, r)
	if ok {
		c.renderPre(w, r, http.StatusOK, "enrol", d)
	}
}

// enrolment finds the reviewer of the link's token; an unknown, used or expired link is
// answered 404 here.
func (c *Console) enrolment(w http.ResponseWriter, r *http.Request) (*enrolData, bool) {
	rv, secret, err := c.db.FindEnrolment(r.Context(), HashToken(r.PathValue("token")))
	if errors.Is(err, store.ErrNoReviewer) {
		c.fail(w, r, http.StatusNotFound, "This enrolment link is not valid: it was used already, or it expired. Ask an admin for a new one.")
		return nil, false
	}
	if err != nil {
		c.internal(w, r, err)
		return nil, false
	}
	key, err := TOTPKey(secret, rv.Email)
	if err != nil {
		c.internal(w, r, err)
		return nil, false
	}
	img, err := key.Image(240, 240)
	var buf bytes.Buffer
	if err == nil {
		err = png.Encode(&buf, img)
	}
	if err != nil {
		c.internal(w, r, err)
		return nil, false
	}
	qr := template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))
	return &enrolData{Name: rv.Name, Email: rv.Email, Secret: secret, QR: qr, TOTPRequired: c.cfg.Production}, true
}

func (c *Console) enrol(w http.ResponseWriter, r *http.Request) {
	d, ok := c.enrolment(w, r)
	if !ok {
		return
	}
	pw, code := r.PostForm.Get("password"), strings.TrimSpace(r.PostForm.Get("code"))
	if d.Error = CheckPasswordRules(pw); d.Error == "" && pw != r.PostForm.Get("confirm") {
		d.Error = "The two passwords differ."
	}
	var step int64
	totp := code != "" || c.cfg.Production
	if d.Error == "" && totp {
		if step, ok = CheckTOTP(d.Secret, code, c.now(), 0); !ok {
			d.Error = "The code is not the one your authenticator app shows now. Add the key to the app, then type its current code."
		}
	}
	if d.Error != "" {
		c.renderPre(w, r, http.StatusBadRequest, "enrol", d)
		return
	}
	c.finishEnrolment(w, r, pw, totp, step)
}

func (c *Console) finishEnrolment(w http.ResponseWriter, r *http.Request, pw string, totp bool, step int64) {
	hash, err := HashPassword(pw)
	if err == nil {
		err = c.db.Enrol(r.Context(), HashToken(r.PathValue("token")), hash, totp, step)
	}
	if errors.Is(err, store.ErrNoReviewer) {
		c.fail(w, r, http.StatusNotFound, "This enrolment link is not valid: it was used already, or it expired.")
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	http.Redirect(w, r, "/console/signin?m=enrolled", http.StatusSeeOther)
}
