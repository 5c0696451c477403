package console_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/console"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/store"
)

// env is a console over a real database, served over real HTTP, with a stopped clock.
type env struct {
	t     *testing.T
	db    *store.DB
	clock *kyctest.Clock
	srv   *httptest.Server
	cfg   console.Config
}

type option func(*console.Config)

func production(c *console.Config) { c.Production = true }

// eachEnv runs fn on SQLite and, when configured, PostgreSQL.
func eachEnv(t *testing.T, fn func(t *testing.T, e *env), opts ...option) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) { fn(t, newEnv(t, kyctest.OpenDB(t, dsn), false, opts...)) })
}

func newEnv(t *testing.T, db *store.DB, tls bool, opts ...option) *env {
	t.Helper()
	e := &env{t: t, db: db, clock: kyctest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))}
	db.Now = e.clock.Now
	e.cfg = console.Config{DB: db, Now: e.clock.Now, Logger: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(&e.cfg)
	}
	h := console.New(e.cfg).Handler()
	if tls {
		e.srv = httptest.NewTLSServer(h)
	} else {
		e.srv = httptest.NewServer(h)
	}
	t.Cleanup(e.srv.Close)
	return e
}

// browser is a client with its own cookie jar that does not follow redirects, so that a
// test sees each answer.
type browser struct {
	e   *env
	c   *http.Client
	jar *cookiejar.Jar
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	c := e.srv.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{e: e, c: c, jar: jar}
}

type page struct {
	status int
	body   string
	header http.Header
}

func (b *browser) get(path string) page {
	b.e.t.Helper()
	resp, err := b.c.Get(b.e.srv.URL + path)
	return b.read(resp, err)
}

// post sends a form as a same-origin browser would (Origin set).
func (b *browser) post(path string, form url.Values) page {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.e.srv.URL)
	resp, err := b.c.Do(req)
	return b.read(resp, err)
}

func (b *browser) read(resp *http.Response, err error) page {
	b.e.t.Helper()
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, body: string(body), header: resp.Header}
}

var (
	reCSRF   = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	reSecret = regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`)
)

func (p page) csrf(t *testing.T) string {
	t.Helper()
	m := reCSRF.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no CSRF token in the page (status %d)", p.status)
	}
	return m[1]
}

func (p page) location() string { return p.header.Get("Location") }

// code is the TOTP code of secret at the env's clock.
func (e *env) code(secret string) string {
	e.t.Helper()
	c, err := totp.GenerateCode(secret, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

const password = "correct horse battery"

// reviewer invites and enrols a reviewer and returns their TOTP secret.
func (e *env) reviewer(name, email string, role kyc.Role) string {
	e.t.Helper()
	token, _, err := console.Invite(e.t.Context(), e.db, name, email, role, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return e.enrol(token)
}

// enrol uses the enrolment link of token (with a second factor) and returns the TOTP
// secret it showed.
func (e *env) enrol(token string) string {
	e.t.Helper()
	b := e.browser()
	p := b.get(console.EnrolPath(token))
	m := reSecret.FindStringSubmatch(p.body)
	if p.status != http.StatusOK || m == nil {
		e.t.Fatalf("enrolment page: status %d, secret found %v", p.status, m != nil)
	}
	done := b.post(console.EnrolPath(token), url.Values{"csrf": {p.csrf(e.t)}, "password": {password},
		"confirm": {password}, "code": {e.code(m[1])}})
	if done.status != http.StatusSeeOther {
		e.t.Fatalf("enrol: status %d", done.status)
	}
	e.clock.Advance(30 * time.Second) // the enrolment's code is spent: the next step's
	return m[1]
}

// signIn signs a fresh browser in.
func (e *env) signIn(email, secret string) *browser {
	e.t.Helper()
	b := e.browser()
	if p := b.signIn(email, password, e.code(secret)); p.status != http.StatusSeeOther || p.location() != "/console/queue" {
		e.t.Fatalf("sign in: status %d to %q", p.status, p.location())
	}
	return b
}

func (b *browser) signIn(email, pw, code string) page {
	b.e.t.Helper()
	form := b.get("/console/signin")
	return b.post("/console/signin", url.Values{"csrf": {form.csrf(b.e.t)}, "email": {email}, "password": {pw}, "code": {code}})
}
