// Package console is the review console: the web pages compliance officers decide profiles
// in, served under /console/ by kyc serve. Pages are rendered on the server with
// html/template and work without JavaScript; every asset is embedded. Reviewers are
// principals of their own (store.Reviewer), signed in with a password and a TOTP code,
// with server-side sessions; every form carries a CSRF token.
//
// Decisions go through the store's one decision path (store.DB.DecideProfile), the one the
// sandbox endpoint and kyc profile review use: same rules, webhook and history.
package console

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/risk"
	"github.com/openkyc/kyc/internal/store"
)

// Prefix is where the console is served.
const Prefix = "/console/"

// Config is what a Console needs.
type Config struct {
	DB *store.DB
	// Production requires a TOTP second factor of every reviewer; sandbox leaves it to
	// each at enrolment.
	Production bool
	// SecureCookies marks cookies Secure (and names them __Host-) even on plain HTTP: for a
	// console behind a proxy that terminates TLS. A request that came over TLS always gets
	// them.
	SecureCookies bool
	Logger        *slog.Logger
	Now           func() time.Time  // time.Now when nil
	RFIExpiryDays kyc.RFIExpiryDays // kyc.DefaultRFIExpiryDays when zero
	// RiskRules rate a profile again when a reviewer resolves one of its screening hits:
	// serve's own; risk.Default() when nil.
	RiskRules *risk.Rules
}

// Session and sign-in limits.
const (
	SessionLifetime = 8 * time.Hour    // a working day, then sign in again
	SessionIdle     = 30 * time.Minute // unused this long, a session ends
	MaxFailedLogins = 5                // in a row, then the reviewer is locked out
	LockoutTime     = 15 * time.Minute
	EnrolLifetime   = 72 * time.Hour // an enrolment link's life
	maxFormBytes    = 64 << 10
)

// Console serves the review console.
type Console struct {
	cfg   Config
	db    *store.DB
	log   *slog.Logger
	now   func() time.Time
	pages *pages
}

// New returns a Console; mount its Handler at Prefix.
func New(cfg Config) *Console {
	c := &Console{cfg: cfg, db: cfg.DB, log: cfg.Logger, now: cfg.Now, pages: parsePages()}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.cfg.RiskRules == nil {
		c.cfg.RiskRules = risk.Default()
	}
	if d := c.cfg.RFIExpiryDays; d.Onboarding <= 0 || d.Ongoing <= 0 {
		c.cfg.RFIExpiryDays = kyc.DefaultRFIExpiryDays
	}
	return c
}

// Handler serves every page of the console, with its security headers, and refuses a
// POST from another origin before anything else.
func (c *Console) Handler() http.Handler {
	return securityHeaders(sameOrigin(c.routes()))
}

func (c *Console) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /console/static/", http.StripPrefix("/console/", http.FileServerFS(staticFS)))
	mux.HandleFunc("GET /console/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/console/queue", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /console/signin", c.signInPage)
	mux.HandleFunc("POST /console/signin", c.preCSRF(c.signIn))
	mux.HandleFunc("GET /console/enrol/{token}", c.enrolPage)
	mux.HandleFunc("POST /console/enrol/{token}", c.preCSRF(c.enrol))
	mux.Handle("POST /console/signout", c.signedIn(c.signOut))
	mux.Handle("GET /console/queue", c.signedIn(c.audited(kyc.AuditProfileList, c.queue)))
	mux.Handle("GET /console/profiles/{id}", c.signedIn(c.audited(kyc.AuditProfileGet, c.profile)))
	mux.Handle("POST /console/profiles/{id}/verify", c.signedIn(c.audited(kyc.AuditProfileDecide, c.verify)))
	mux.Handle("POST /console/profiles/{id}/reject", c.signedIn(c.audited(kyc.AuditProfileDecide, c.reject)))
	mux.Handle("POST /console/profiles/{id}/rfis", c.signedIn(c.audited(kyc.AuditRFICreate, c.raiseRFI)))
	mux.Handle("POST /console/profiles/{id}/rfis/{rfi}/review", c.signedIn(c.audited(kyc.AuditRFITransition, c.reviewRFI)))
	mux.Handle("POST /console/profiles/{id}/hits/{hit}/resolve", c.signedIn(c.audited(kyc.AuditScreeningDecide, c.resolveHit)))
	mux.Handle("GET /console/reviewers", c.signedIn(c.admin(c.reviewers)))
	mux.Handle("POST /console/reviewers", c.signedIn(c.admin(c.addReviewer)))
	mux.Handle("POST /console/reviewers/disable", c.signedIn(c.admin(c.disableReviewer)))
	mux.HandleFunc("/console/", func(w http.ResponseWriter, r *http.Request) {
		c.fail(w, r, http.StatusNotFound, "There is no such page.")
	})
	return mux
}

// ContentSecurityPolicy: nothing but this origin's stylesheet and images (the TOTP QR code
// is a data: image); no script at all, no framing, forms only to this origin.
const ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin") // not no-referrer: Chrome would then send "Origin: null"
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// sameOrigin refuses a state-changing request that a browser says came from another site
// (Sec-Fetch-Site) or another origin (Origin): a second wall behind the CSRF token.
func sameOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !fromSameOrigin(r) {
			http.Error(w, "Forbidden: cross-origin request", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func fromSameOrigin(r *http.Request) bool {
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" && s != "same-origin" && s != "none" {
		return false
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	return o == "https://"+r.Host || o == "http://"+r.Host
}
