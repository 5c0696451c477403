package screening_test

import (
	"strings"
	"testing"

	"github.com/openkyc/kyc/internal/listtest"
	"github.com/openkyc/kyc/internal/screening"
)

func TestDownload(t *testing.T) {
	ofac, un := listtest.Real(t)
	ofacURL, unURL := listtest.Mirror(t)
	d := &screening.Downloader{OFACURL: ofacURL, UNURL: unURL}
	for _, want := range []*screening.List{ofac, un} {
		got, err := d.Download(t.Context(), want.Source)
		if err != nil {
			t.Fatalf("%s: %v", want.Source, err)
		}
		if got.SHA256 != want.SHA256 || len(got.Entries) != len(want.Entries) {
			t.Errorf("%s: sha %s and %d entries, want %s and %d", want.Source, got.SHA256, len(got.Entries), want.SHA256, len(want.Entries))
		}
	}
	d.UNURL = unURL + ".missing"
	if _, err := d.Download(t.Context(), screening.UN); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing file: err %v, want the 404", err)
	}
	defer screening.SetFileLimit(1 << 20)()
	if _, err := d.Download(t.Context(), screening.OFAC); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized file: err %v, want the size bound", err)
	}
}
