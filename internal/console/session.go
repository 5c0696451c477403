package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/openkyc/kyc/internal/store"
)

// Cookies: the session, and the pre-session CSRF token of the sign-in and enrolment forms
// (a double-submitted random value, so that no other site can sign a browser in to an
// account of its choosing). Both are HttpOnly and SameSite=Strict; over TLS (or with
// SecureCookies) they are Secure and carry the __Host- prefix, which binds them to this
// host and path / and which a browser refuses to set without Secure.
const (
	sessionCookie = "kyc_session"
	preCookie     = "kyc_presession"
	hostPrefix    = "__Host-"
	csrfField     = "csrf"
)

func (c *Console) secure(r *http.Request) bool { return r.TLS != nil || c.cfg.SecureCookies }

func (c *Console) cookieName(r *http.Request, name string) string {
	if c.secure(r) {
		return hostPrefix + name
	}
	return name
}

func (c *Console) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: c.cookieName(r, name), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: c.secure(r), SameSite: http.SameSiteStrictMode})
}

func (c *Console) cookie(r *http.Request, name string) string {
	ck, err := r.Cookie(c.cookieName(r, name))
	if err != nil {
		return ""
	}
	return ck.Value
}

// newToken returns 32 random bytes in base64url: a session id, a CSRF token, an
// enrolment token.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// HashToken is how a token is kept in the database: SHA-256, hex. A fast hash is right for
// 256 random bits (see store.CreateAPIKey).
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewEnrolment returns an enrolment token, for the link shown once, and the hash to store.
func NewEnrolment() (token, hash string, err error) {
	token, err = newToken()
	return token, HashToken(token), err
}

func sameToken(a, b string) bool {
	return a != "" && len(a) == len(b) && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

type sessionKey struct{}

// sessionFrom returns the session signedIn found.
func sessionFrom(r *http.Request) *store.Session {
	return r.Context().Value(sessionKey{}).(*store.Session)
}

// signedIn serves fn to a reviewer with a live session only; a POST must also carry the
// session's CSRF token. Without a session a page sends the browser to sign in, and a POST
// is refused.
func (c *Console) signedIn(fn http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := c.session(r)
		if err != nil {
			c.noSession(w, r, err)
			return
		}
		if r.Method == http.MethodPost && !c.formToken(w, r, s.CSRF) {
			return
		}
		fn(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, s)))
	})
}

func (c *Console) session(r *http.Request) (*store.Session, error) {
	id := c.cookie(r, sessionCookie)
	if id == "" {
		return nil, store.ErrNoReviewer
	}
	return c.db.FindSession(r.Context(), HashToken(id), SessionIdle)
}

func (c *Console) noSession(w http.ResponseWriter, r *http.Request, err error) {
	if !errors.Is(err, store.ErrNoReviewer) {
		c.internal(w, r, err)
		return
	}
	if r.Method == http.MethodGet {
		http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
		return
	}
	c.fail(w, r, http.StatusForbidden, "You are not signed in, or your session has ended. Sign in again.")
}

// formToken parses the form (bounded) and checks its CSRF token against want.
func (c *Console) formToken(w http.ResponseWriter, r *http.Request, want string) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		c.fail(w, r, http.StatusBadRequest, "The form could not be read.")
		return false
	}
	if !sameToken(r.PostForm.Get(csrfField), want) {
		c.fail(w, r, http.StatusForbidden, "The form has expired or did not come from this console. Reload the page and try again.")
		return false
	}
	return true
}

// preCSRF guards the forms served before a session exists with the pre-session cookie.
func (c *Console) preCSRF(fn http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if c.formToken(w, r, c.cookie(r, preCookie)) {
			fn(w, r)
		}
	}
}

// preToken returns the pre-session CSRF token, setting its cookie when there is none.
func (c *Console) preToken(w http.ResponseWriter, r *http.Request) (string, error) {
	if t := c.cookie(r, preCookie); len(t) == 43 {
		return t, nil
	}
	t, err := newToken()
	if err == nil {
		c.setCookie(w, r, preCookie, t, int(EnrolLifetime.Seconds()))
	}
	return t, err
}
