// Package listtest gives tests the real sanctions lists kept beside the repository
// (../shared/reference/lists from its root, as in CI), read where they are and never copied
// into the repository, parsed once per test binary.
package listtest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/openkyc/kyc/internal/screening"
)

// Dir returns the directory of the real lists, skipping the test when it is absent.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test's directory: cannot find ../shared/reference/lists")
		}
		dir = parent
	}
	lists := filepath.Join(dir, "..", "shared", "reference", "lists")
	if _, err := os.Stat(filepath.Join(lists, "ofac-sdn.csv")); err != nil {
		t.Skipf("the real sanctions lists are not at %s (shared/reference/lists beside the repository): %v", lists, err)
	}
	return lists
}

// UNFile is the name of the UN consolidated list in Dir.
const UNFile = "un-consolidated.xml"

var parsed struct {
	once     sync.Once
	ofac, un *screening.List
	err      error
}

// Real returns the parsed OFAC set and UN file of Dir. They are shared: do not change them.
func Real(t testing.TB) (ofac, un *screening.List) {
	t.Helper()
	dir := Dir(t)
	parsed.once.Do(func() {
		parsed.ofac, parsed.err = screening.ReadFiles(screening.OFAC, []string{dir})
		if parsed.err == nil {
			parsed.un, parsed.err = screening.ReadFiles(screening.UN, []string{filepath.Join(dir, UNFile)})
		}
	})
	if parsed.err != nil {
		t.Fatalf("parse the real lists: %v", parsed.err)
	}
	return parsed.ofac, parsed.un
}

// Mirror serves the real files under the publishers' names, as a mirror of theirs would,
// on a loopback port until the test ends. It returns the OFAC base URL and the UN file's
// URL, to pass as screening.Downloader's or as --ofac-url and --un-url.
func Mirror(t testing.TB) (ofacURL, unURL string) {
	t.Helper()
	dir := Dir(t)
	mux := http.NewServeMux()
	for _, name := range screening.OFACFileNames {
		mux.HandleFunc("/ofac/"+name, func(w http.ResponseWriter, r *http.Request) {
			http.ServeFile(w, r, filepath.Join(dir, "ofac-"+name))
		})
	}
	mux.HandleFunc("/un/consolidated.xml", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(dir, UNFile))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/ofac/", srv.URL + "/un/consolidated.xml"
}
