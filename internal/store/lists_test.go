package store

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/listtest"
	"github.com/openkyc/kyc/internal/screening"
)

func customList(t *testing.T, rows string) *screening.List {
	t.Helper()
	l, err := screening.Parse(screening.Custom, strings.NewReader("name,aliases,type,date_of_birth,country,reference\n"+rows))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestImportListVersions(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		clk := newClock(db)
		first := customList(t, "A One,Alias A;Alias B,person,1970,SG,r1\n")
		s1, created, err := db.ImportList(ctx, first)
		if err != nil || !created {
			t.Fatalf("first import: %v created %v", err, created)
		}
		want := kyc.ListSnapshot{ID: s1.ID, Source: string(screening.Custom), Version: 1, SHA256: first.SHA256,
			Entries: 1, Aliases: 2, ImportedAt: db.now()}
		if diff := cmp.Diff(want, *s1); diff != "" {
			t.Errorf("snapshot (-want +got):\n%s", diff)
		}
		clk.t = clk.t.Add(time.Hour)
		again, created, err := db.ImportList(ctx, customList(t, "A One,Alias A;Alias B,person,1970,SG,r1\n"))
		if err != nil || created || again.ID != s1.ID {
			t.Fatalf("same file again: %+v created %v err %v, want the first snapshot unchanged", again, created, err)
		}
		second := customList(t, "A One,,person,,,r1\nB Two,,organisation,,,r2\n")
		s2, created, err := db.ImportList(ctx, second)
		if err != nil || !created || s2.Version != 2 {
			t.Fatalf("second import: %+v created %v err %v", s2, created, err)
		}
		active, err := db.FindActiveLists(ctx)
		if err != nil || len(active) != 1 || active[0] != *s2 {
			t.Fatalf("active lists: %+v %v, want only version 2", active, err)
		}
		loaded, err := db.LoadActiveLists(ctx)
		if err != nil || len(loaded) != 1 {
			t.Fatalf("load: %v %v", loaded, err)
		}
		if diff := cmp.Diff(second.Entries, loaded[0].Entries); diff != "" {
			t.Errorf("entries read back (-want +got):\n%s", diff)
		}
	})
}

func TestImportRealListsRoundTrip(t *testing.T) {
	ofac, un := listtest.Real(t)
	eachDB(t, func(t *testing.T, db *DB) {
		for _, l := range []*screening.List{ofac, un} {
			if _, _, err := db.ImportList(t.Context(), l); err != nil {
				t.Fatal(err)
			}
		}
		loaded, err := db.LoadActiveLists(t.Context())
		if err != nil || len(loaded) != 2 {
			t.Fatalf("load: %d lists, %v", len(loaded), err)
		}
		for i, l := range []*screening.List{ofac, un} {
			got := loaded[i]
			if got.Snapshot.Source != string(l.Source) || got.Snapshot.Entries != len(l.Entries) || got.Snapshot.Aliases != l.Aliases() ||
				!cmp.Equal(got.Snapshot.Published, l.Published) || !cmp.Equal(got.Entries, l.Entries) {
				t.Errorf("%s: snapshot %+v does not give back the list read", l.Source, got.Snapshot)
			}
		}
	})
}

// TestImportListConcurrently: two imports of one source at once (two instances refreshing)
// both succeed, as versions 1 and 2, on either database.
func TestImportListConcurrently(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		lists := []*screening.List{customList(t, "A One,,person,,,r1\n"), customList(t, "B Two,,person,,,r2\n")}
		errs := make(chan error, len(lists))
		for _, l := range lists {
			go func() { _, _, err := db.ImportList(t.Context(), l); errs <- err }()
		}
		for range lists {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		active, err := db.FindActiveLists(t.Context())
		if err != nil || len(active) != 1 || active[0].Version != 2 {
			t.Fatalf("active: %+v %v, want version 2", active, err)
		}
	})
}
