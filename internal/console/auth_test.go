package console_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/console"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/store"
)

func TestPasswordHash(t *testing.T) {
	h, err := console.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id with the parameters chosen", h)
	}
	h2, _ := console.HashPassword(password)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for pw, want := range map[string]bool{password: true, password + " ": false, "": false} {
		if ok, err := console.CheckPassword(h, pw); ok != want || err != nil {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", strings.Replace(h, "m=19456", "m=4194304", 1),
		strings.Replace(h, "t=2", "t=99", 1)} {
		if ok, err := console.CheckPassword(bad, password); ok || err == nil {
			t.Errorf("CheckPassword(%q) = %v, %v; want a refusal", bad, ok, err)
		}
	}
}

func TestTOTPCodes(t *testing.T) {
	key, err := console.NewTOTPKey("ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, clock: kyctest.NewClock(time.Unix(1_800_000_000, 0))}
	now, code := e.clock.Now(), e.code(key.Secret())
	step, ok := console.CheckTOTP(key.Secret(), code, now, 0)
	if !ok || step != now.Unix()/30 {
		t.Fatalf("CheckTOTP(current code) = %d, %v", step, ok)
	}
	if _, ok := console.CheckTOTP(key.Secret(), code, now, step); ok {
		t.Error("a code was accepted twice")
	}
	if _, ok := console.CheckTOTP(key.Secret(), code, now.Add(30*time.Second), 0); !ok {
		t.Error("a code one step old was refused (clock drift)")
	}
	if _, ok := console.CheckTOTP(key.Secret(), code, now.Add(90*time.Second), 0); ok {
		t.Error("a code three steps old was accepted")
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if _, ok := console.CheckTOTP(key.Secret(), wrong, now, 0); ok {
		t.Error("a wrong code was accepted")
	}
}

// A reviewer enrols once, signs in with password and code, and signs out; the cookie of
// the ended session opens nothing.
func TestEnrolSignInSignOut(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		token, rv, err := console.Invite(t.Context(), e.db, "Ada Lovelace", "Ada@Example.com", kyc.RoleAdmin, e.clock.Now())
		if err != nil || rv.Status != kyc.ReviewerInvited || rv.Email != "ada@example.com" {
			t.Fatalf("Invite = %+v, %v", rv, err)
		}
		b := e.browser()
		if p := b.get("/console/queue"); p.status != http.StatusSeeOther || p.location() != "/console/signin" {
			t.Fatalf("queue before sign-in: %d to %q", p.status, p.location())
		}
		enrol := b.get(console.EnrolPath(token))
		secret := reSecret.FindStringSubmatch(enrol.body)[1]
		form := url.Values{"csrf": {enrol.csrf(t)}, "password": {password}, "confirm": {password}, "code": {"123456"}}
		if p := b.post(console.EnrolPath(token), form); p.status != http.StatusBadRequest {
			t.Errorf("enrol with a wrong code: %d", p.status)
		}
		form.Set("code", e.code(secret))
		if p := b.post(console.EnrolPath(token), form); p.status != http.StatusSeeOther {
			t.Fatalf("enrol: %d", p.status)
		}
		if p := b.get(console.EnrolPath(token)); p.status != http.StatusNotFound {
			t.Errorf("enrolment link used twice: %d", p.status)
		}
		if p := b.signIn("ada@example.com", password, e.code(secret)); p.status != http.StatusUnauthorized {
			t.Errorf("sign-in with the code enrolment used: %d", p.status)
		}
		e.clock.Advance(30 * time.Second)
		if p := b.signIn("ada@example.com", "wrong password!", e.code(secret)); p.status != http.StatusUnauthorized {
			t.Errorf("sign-in with a wrong password: %d", p.status)
		}
		if p := b.signIn("ADA@example.com", password, e.code(secret)); p.status != http.StatusSeeOther {
			t.Fatalf("sign-in: %d", p.status)
		}
		queue := b.get("/console/queue")
		if queue.status != http.StatusOK || !strings.Contains(queue.body, "Signed in as Ada Lovelace") {
			t.Fatalf("queue: %d", queue.status)
		}
		stolen := b.jar.Cookies(mustURL(e.srv.URL))
		if p := b.post("/console/signout", url.Values{"csrf": {queue.csrf(t)}}); p.status != http.StatusSeeOther {
			t.Fatalf("sign out: %d", p.status)
		}
		thief := e.browser()
		thief.jar.SetCookies(mustURL(e.srv.URL), stolen)
		if p := thief.get("/console/queue"); p.status != http.StatusSeeOther || p.location() != "/console/signin" {
			t.Errorf("replayed cookie after sign-out, GET: %d to %q", p.status, p.location())
		}
		if p := thief.post("/console/signout", url.Values{"csrf": {queue.csrf(t)}}); p.status != http.StatusForbidden {
			t.Errorf("replayed cookie and token after sign-out, POST: %d", p.status)
		}
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// Every state-changing form needs the session's CSRF token, and a request another origin
// sent is refused whatever it carries.
func TestCSRF(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		secret := e.reviewer("Ada", "ada@example.com", kyc.RoleAdmin)
		b := e.signIn("ada@example.com", secret)
		token := b.get("/console/queue").csrf(t)
		form := url.Values{"name": {"Bob"}, "email": {"bob@example.com"}, "role": {"reviewer"}}
		if p := b.post("/console/reviewers", form); p.status != http.StatusForbidden {
			t.Errorf("POST without a CSRF token: %d", p.status)
		}
		// Another last character: "A" alone would be no change for a token that ends in "A"
		// (one in 64; it failed a CI run).
		wrong := map[bool]string{true: "B", false: "A"}[strings.HasSuffix(token, "A")]
		form.Set("csrf", token[:len(token)-1]+wrong)
		if p := b.post("/console/reviewers", form); p.status != http.StatusForbidden {
			t.Errorf("POST with a wrong CSRF token: %d", p.status)
		}
		form.Set("csrf", token)
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/console/reviewers", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		if p := b.read(b.c.Do(req)); p.status != http.StatusForbidden {
			t.Errorf("POST from another origin: %d", p.status)
		}
		if all, _ := e.db.FindReviewers(t.Context()); len(all) != 1 {
			t.Fatalf("a refused form added a reviewer: %d reviewers", len(all))
		}
		if p := b.post("/console/reviewers", form); p.status != http.StatusOK || !strings.Contains(p.body, "/console/enrol/") {
			t.Errorf("POST with the token: %d", p.status)
		}
		signIn := b.get("/console/signin")
		if p := b.post("/console/signin", url.Values{"email": {"ada@example.com"}, "password": {password}}); p.status != http.StatusForbidden {
			t.Errorf("sign-in without the pre-session token: %d", p.status)
		}
		_ = signIn
	})
}

// Five failures in a row lock the reviewer out for 15 minutes, even with the right
// password; then they may sign in again.
func TestLockout(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		secret := e.reviewer("Ada", "ada@example.com", kyc.RoleReviewer)
		b := e.browser()
		for i := range console.MaxFailedLogins {
			if p := b.signIn("ada@example.com", "not the password", e.code(secret)); p.status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d", i+1, p.status)
			}
		}
		if p := b.signIn("ada@example.com", password, e.code(secret)); p.status != http.StatusUnauthorized {
			t.Errorf("right password while locked out: %d", p.status)
		}
		e.clock.Advance(console.LockoutTime + time.Minute)
		e.signIn("ada@example.com", secret)
	})
}

// Disabling a reviewer ends their sessions at once and stops them signing in.
func TestDisableEndsSessions(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		secret := e.reviewer("Bob", "bob@example.com", kyc.RoleReviewer)
		b := e.signIn("bob@example.com", secret)
		_, ended, err := e.db.DisableReviewer(t.Context(), "BOB@example.com")
		if err != nil || ended != 1 {
			t.Fatalf("DisableReviewer = %d, %v", ended, err)
		}
		if p := b.get("/console/queue"); p.status != http.StatusSeeOther {
			t.Errorf("queue after disable: %d", p.status)
		}
		e.clock.Advance(30 * time.Second)
		if p := e.browser().signIn("bob@example.com", password, e.code(secret)); p.status != http.StatusUnauthorized {
			t.Errorf("sign-in after disable: %d", p.status)
		}
	})
}

// Reinviting a reviewer ends their sessions and credentials; the new link enrols them again
// with a new second factor, and the old link is spent.
func TestReinvite(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		token, _, err := console.Invite(t.Context(), e.db, "Bob", "bob@example.com", kyc.RoleReviewer, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		secret := e.enrol(token)
		b := e.signIn("bob@example.com", secret)
		again, rv, err := console.Reinvite(t.Context(), e.db, "BOB@example.com", e.clock.Now())
		if err != nil || rv.Status != kyc.ReviewerInvited || rv.TOTPEnabled {
			t.Fatalf("Reinvite = %+v, %v", rv, err)
		}
		if p := b.get("/console/queue"); p.status != http.StatusSeeOther {
			t.Errorf("queue after reinvite: %d", p.status)
		}
		e.clock.Advance(30 * time.Second)
		if p := e.browser().signIn("bob@example.com", password, e.code(secret)); p.status != http.StatusUnauthorized {
			t.Errorf("sign-in with the old credentials: %d", p.status)
		}
		if p := e.browser().get(console.EnrolPath(token)); p.status == http.StatusOK {
			t.Error("the first link still enrols")
		}
		fresh := e.enrol(again)
		if fresh == secret {
			t.Error("the second factor was not renewed")
		}
		e.signIn("bob@example.com", fresh)
		if _, _, err := console.Reinvite(t.Context(), e.db, "nobody@example.com", e.clock.Now()); !errors.Is(err, store.ErrNoReviewer) {
			t.Errorf("Reinvite of no one: %v", err)
		}
	})
}

// A reviewer may not manage reviewers; an admin may.
func TestRoles(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		secret := e.reviewer("Bob", "bob@example.com", kyc.RoleReviewer)
		b := e.signIn("bob@example.com", secret)
		q := b.get("/console/queue")
		if strings.Contains(q.body, `href="/console/reviewers"`) {
			t.Error("a reviewer is shown the reviewers page")
		}
		if p := b.get("/console/reviewers"); p.status != http.StatusForbidden {
			t.Errorf("reviewers page for a reviewer: %d", p.status)
		}
		form := url.Values{"csrf": {q.csrf(t)}, "email": {"bob@example.com"}}
		if p := b.post("/console/reviewers/disable", form); p.status != http.StatusForbidden {
			t.Errorf("disable by a reviewer: %d", p.status)
		}
	})
}

// Sessions end after SessionIdle unused, and after SessionLifetime whatever.
func TestSessionExpiry(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		secret := e.reviewer("Ada", "ada@example.com", kyc.RoleReviewer)
		b := e.signIn("ada@example.com", secret)
		for elapsed := time.Duration(0); elapsed < console.SessionLifetime-console.SessionIdle; elapsed += console.SessionIdle - time.Minute {
			if p := b.get("/console/queue"); p.status != http.StatusOK {
				t.Fatalf("after %s in use: %d", elapsed, p.status)
			}
			e.clock.Advance(console.SessionIdle - time.Minute)
		}
		e.clock.Advance(console.SessionIdle)
		if p := b.get("/console/queue"); p.status != http.StatusSeeOther {
			t.Errorf("after the lifetime: %d", p.status)
		}
		b = e.signIn("ada@example.com", secret)
		e.clock.Advance(console.SessionIdle + time.Second)
		if p := b.get("/console/queue"); p.status != http.StatusSeeOther {
			t.Errorf("after %s idle: %d", console.SessionIdle, p.status)
		}
	})
}

// In production a second factor is required at enrolment and at sign-in.
func TestProductionRequiresTOTP(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		if _, status := enrolWithoutCode(t, e); status != http.StatusBadRequest {
			t.Errorf("production enrolment without a code: %d", status)
		}
	}, production)
	eachEnv(t, func(t *testing.T, e *env) {
		b, status := enrolWithoutCode(t, e)
		if status != http.StatusSeeOther {
			t.Fatalf("sandbox enrolment without a code: %d", status)
		}
		if p := b.signIn("ada@example.com", password, ""); p.status != http.StatusSeeOther {
			t.Errorf("sandbox sign-in without a second factor: %d", p.status)
		}
	})
}

// enrolWithoutCode invites Ada and posts her enrolment form with a password and no TOTP
// code; it returns her browser and the answer's status.
func enrolWithoutCode(t *testing.T, e *env) (*browser, int) {
	t.Helper()
	token, _, err := console.Invite(t.Context(), e.db, "Ada", "ada@example.com", kyc.RoleReviewer, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	b := e.browser()
	p := b.get(console.EnrolPath(token))
	form := url.Values{"csrf": {p.csrf(t)}, "password": {password}, "confirm": {password}}
	return b, b.post(console.EnrolPath(token), form).status
}

// Over TLS the cookies are __Host-, Secure, HttpOnly and SameSite=Strict; every page has
// the strict CSP.
func TestCookiesAndHeaders(t *testing.T) {
	e := newEnv(t, kyctest.NewDB(t), true)
	secret := e.reviewer("Ada", "ada@example.com", kyc.RoleReviewer)
	b := e.browser()
	form := b.get("/console/signin")
	if got := form.header.Get("Content-Security-Policy"); got != console.ContentSecurityPolicy || !strings.Contains(got, "default-src 'none'") {
		t.Errorf("CSP %q", got)
	}
	p := b.post("/console/signin", url.Values{"csrf": {form.csrf(t)}, "email": {"ada@example.com"}, "password": {password},
		"code": {e.code(secret)}})
	var session *http.Cookie
	for _, c := range (&http.Response{Header: p.header}).Cookies() {
		if c.Name == "__Host-kyc_session" {
			session = c
		}
	}
	if session == nil || !session.Secure || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/" || session.Domain != "" {
		t.Fatalf("session cookie %+v (status %d)", session, p.status)
	}
	for _, h := range []string{"X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"} {
		if p.header.Get(h) == "" {
			t.Errorf("no %s", h)
		}
	}
}
