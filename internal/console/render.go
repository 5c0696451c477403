package console

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticEmbed embed.FS

// staticFS holds static/…: the stylesheet, served from the binary (no CDN).
var staticFS fs.FS = staticEmbed

// pageData is what the layout shows around every page.
type pageData struct {
	Title    string
	Reviewer *kyc.Reviewer // nil before sign-in
	CSRF     string
	Notice   string
	Error    string
	cause    error // why the page shows an error, for the audit record's outcome
}

func (d *pageData) base() *pageData { return d }

type page interface{ base() *pageData }

type pages struct{ t map[string]*template.Template }

var funcs = template.FuncMap{
	"date":  func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"day":   func(t time.Time) string { return t.UTC().Format("2006-01-02") },
	"title": func(s string) string { return humanize(s) },
	"join":  strings.Join,
}

// parsePages parses each page with the layout; a template error is a programming error
// that every test finds.
func parsePages() *pages {
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	p := &pages{t: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		p.t[name] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, n))
	}
	return p
}

// render writes the page name with status, for a signed-in reviewer when there is one.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, d page) {
	b := d.base()
	if s, ok := r.Context().Value(sessionKey{}).(*store.Session); ok {
		b.Reviewer, b.CSRF = &s.Reviewer, s.CSRF
	}
	if b.Notice == "" {
		b.Notice = notices[r.URL.Query().Get("m")]
	}
	var buf bytes.Buffer
	err := c.pages.t[name].ExecuteTemplate(&buf, "layout.html", d)
	if err == nil {
		err = c.finishAudit(r, status, b.cause) // a page that could not be audited is not sent
	}
	if err != nil {
		c.log.Error("console page", "page", name, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderPre renders a page served before sign-in, with the pre-session CSRF token.
func (c *Console) renderPre(w http.ResponseWriter, r *http.Request, status int, name string, d page) {
	t, err := c.preToken(w, r)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	d.base().CSRF = t
	c.render(w, r, status, name, d)
}

type messageData struct{ pageData }

// fail shows msg, a fixed sentence or a *kyc.Error's message (which never holds personal
// data), with status.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	d := &messageData{}
	d.Title, d.Error = http.StatusText(status), msg
	c.render(w, r, status, "message", d)
}

// internal logs err and answers 500 without its text.
func (c *Console) internal(w http.ResponseWriter, r *http.Request, err error) {
	c.log.Error("console", "route", r.Pattern, "err", err) // the pattern: a path may hold a token
	c.fail(w, r, http.StatusInternalServerError, "Something went wrong on our side; it is logged. Try again.")
}

// humanize turns a member name into words: "countryOfResidence" → "Country of residence",
// "registrationIdType" → "Registration ID type".
func humanize(s string) string {
	words := strings.Fields(splitWords(s))
	for i, w := range words {
		if a, ok := acronyms[w]; ok {
			words[i] = a
		}
	}
	return strings.Join(words, " ")
}

var acronyms = map[string]string{"id": "ID", "Id": "ID", "ip": "IP", "Ip": "IP", "us": "US", "Us": "US", "aml": "AML", "Aml": "AML"}

func splitWords(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case i == 0:
			b.WriteString(strings.ToUpper(string(r)))
		case r >= 'A' && r <= 'Z':
			b.WriteByte(' ')
			b.WriteString(strings.ToLower(string(r)))
		case r == '_':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
