package screening_test

import (
	"sync"
	"testing"

	"github.com/openkyc/kyc/internal/listtest"
	"github.com/openkyc/kyc/internal/screening"
)

var realIndex struct {
	once sync.Once
	ix   *screening.Index
}

// realIndexOf builds the index of the real OFAC and UN lists once per test run.
func realIndexOf(t testing.TB) *screening.Index {
	t.Helper()
	ofac, un := listtest.Real(t)
	realIndex.once.Do(func() {
		realIndex.ix = screening.NewIndex([]screening.Loaded{
			{Snapshot: snapshotOf(ofac, "list_ofac"), Entries: ofac.Entries},
			{Snapshot: snapshotOf(un, "list_un"), Entries: un.Entries},
		})
	})
	return realIndex.ix
}

func TestScreenExamples(t *testing.T) {
	ix := realIndexOf(t)
	for _, tc := range []struct {
		subject screening.Subject
		want    string // list:ref of a hit, "" for no hit at all
	}{
		{screening.Subject{Kind: screening.Person, Name: "Ayman al-Zawahiri"}, "ofac:2676"},
		{screening.Subject{Kind: screening.Person, Name: "Sergei Zubkov", DateOfBirth: "1975-08-21"}, "ofac:32211"},
		{screening.Subject{Kind: screening.Person, Name: "George Bush"}, ""},
		{screening.Subject{Kind: screening.Organisation, Name: "Acme Trading Co Ltd"}, ""},
		{screening.Subject{Kind: screening.Organisation, Name: "Banco Nacional de Cuba"}, "ofac:306"},
		{screening.Subject{Kind: screening.Person, Name: "Эрик Бадеге"}, "un:CDi.001"},
	} {
		hits := ix.Screen(tc.subject, screening.DefaultThreshold)
		found := len(hits) == 0 && tc.want == ""
		for _, h := range hits {
			found = found || h.List+":"+h.Entry.Ref == tc.want
		}
		if !found {
			t.Errorf("%q: hits %+v, want %q", tc.subject.Name, hits, tc.want)
		}
	}
}
