package screening_test

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/screening"
)

// The real lists are parsed once per test run and shared by every test that reads them.
var real struct {
	once     sync.Once
	ofac, un *screening.List
	err      error
}

// realLists returns the parsed OFAC and UN files of ../shared/reference/lists.
func realLists(t testing.TB) (ofac, un *screening.List) {
	t.Helper()
	dir := kyctest.ListsDir(t)
	real.once.Do(func() {
		real.ofac, real.err = screening.ReadFiles(screening.OFAC, []string{dir})
		if real.err == nil {
			real.un, real.err = screening.ReadFiles(screening.UN, []string{filepath.Join(dir, "un-consolidated.xml")})
		}
	})
	if real.err != nil {
		t.Fatalf("parse the real lists: %v", real.err)
	}
	return real.ofac, real.un
}
