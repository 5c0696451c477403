package store

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
)

var base = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// tiedTimes makes creation times that tie in threes and update times in another order that
// ties in pairs.
func tiedTimes(n int) func(i int) (time.Time, time.Time) {
	return func(i int) (time.Time, time.Time) {
		return base.Add(time.Duration(i/3) * time.Microsecond),
			base.Add(time.Duration((i*7919)%n/2) * time.Microsecond)
	}
}

// TestFindProfilesCursorWhileInserting pages through a few thousand profiles by cursor, in
// every order, while other profiles are being created: every profile that existed before
// the walk is seen exactly once, in order, and no profile is seen twice.
func TestFindProfilesCursorWhileInserting(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		acct := newAccount(t, db, "acme")
		other := newAccount(t, db, "globex")
		const n = 3000
		existing := bulkProfiles(t, db, acct.ID, n, tiedTimes(n))
		bulkProfiles(t, db, other.ID, 50, tiedTimes(50))

		total := n
		for _, sort := range []string{SortCreatedAsc, SortCreatedDesc, SortUpdatedAsc, SortUpdatedDesc} {
			t.Run(sort, func(t *testing.T) {
				stop := insertWhile(t, db, acct.ID)
				seen := walk(t, db, acct.ID, ProfileQuery{Sort: sort, Limit: 37})
				inserted := stop()
				t.Logf("%d profiles created during the walk", inserted)
				total += inserted
				checkWalk(t, seen, existing, sort)
				if len(seen) > total {
					t.Errorf("saw %d profiles, at most %d exist", len(seen), total)
				}
			})
		}
	})
}

// insertWhile creates profiles in the account until the returned stop is called, which
// returns how many it created.
func insertWhile(t *testing.T, db *DB, accountID string) (stop func() int) {
	var count atomic.Int64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			default:
			}
			if _, err := db.CreateProfile(t.Context(), accountID, kyc.PersonalCPPlus, testPersonal(time.Now().Format("150405.000000"))); err == nil {
				count.Add(1)
			}
		}
	})
	return func() int { close(done); wg.Wait(); return int(count.Load()) }
}

// walk follows the cursor from the first page to the last.
func walk(t *testing.T, db *DB, accountID string, q ProfileQuery) []*kyc.Profile {
	t.Helper()
	var all []*kyc.Profile
	for range 10000 {
		page, next, err := db.FindProfiles(t.Context(), accountID, q)
		if err != nil {
			t.Fatalf("FindProfiles: %v", err)
		}
		all = append(all, page...)
		if next == nil {
			return all
		}
		q.After = next
	}
	t.Fatal("the walk does not end")
	return nil
}

func checkWalk(t *testing.T, seen []*kyc.Profile, existing []string, sort string) {
	t.Helper()
	count := map[string]int{}
	for _, p := range seen {
		count[p.ID]++
		if count[p.ID] == 2 {
			t.Errorf("%s seen twice", p.ID)
		}
	}
	for _, id := range existing {
		if count[id] != 1 {
			t.Errorf("%s seen %d times, want once", id, count[id])
		}
	}
	key := func(p *kyc.Profile) time.Time {
		if sort == SortUpdatedAsc || sort == SortUpdatedDesc {
			return p.UpdatedAt
		}
		return p.CreatedAt
	}
	ordered := slices.IsSortedFunc(seen, func(a, b *kyc.Profile) int {
		c := key(a).Compare(key(b))
		if c == 0 {
			c = strings.Compare(a.ID, b.ID)
		}
		if sort[0] == '-' {
			return -c
		}
		return c
	})
	if !ordered {
		t.Errorf("the walk is not in %s order", sort)
	}
}

func TestFindProfilesFilters(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		acct := newAccount(t, db, "acme")
		other := newAccount(t, db, "globex")
		c := newClock(db)
		var ids []string
		for i, regID := range []string{"S0000001A", "S0000002B", "S0000003C", "S0000004D"} {
			c.t = base.Add(time.Duration(i) * time.Hour)
			p, err := db.CreateProfile(ctx, acct.ID, kyc.PersonalCPPlus, testPersonal(regID))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.ID)
		}
		if _, err := db.CreateProfile(ctx, other.ID, kyc.PersonalCPPlus, testPersonal("S0000002B")); err != nil {
			t.Fatal(err)
		}
		c.t = base.Add(10 * time.Hour)
		if _, err := db.DecideProfile(ctx, acct.ID, ids[0], kyc.Decision{Status: kyc.StatusVerified}, kyc.Actor{Type: kyc.ActorSandbox}); err != nil {
			t.Fatal(err)
		}

		for _, tc := range []struct {
			name string
			q    ProfileQuery
			want []string
		}{
			{"all, oldest first", ProfileQuery{}, ids},
			{"newest first", ProfileQuery{Sort: SortCreatedDesc}, []string{ids[3], ids[2], ids[1], ids[0]}},
			{"last updated first", ProfileQuery{Sort: SortUpdatedDesc}, []string{ids[0], ids[3], ids[2], ids[1]}},
			{"created after", ProfileQuery{CreatedAfter: base.Add(time.Hour)}, ids[2:]},
			{"created before", ProfileQuery{CreatedBefore: base.Add(time.Hour)}, ids[:1]},
			{"updated after", ProfileQuery{UpdatedAfter: base.Add(5 * time.Hour)}, ids[:1]},
			{"updated before", ProfileQuery{UpdatedBefore: base.Add(3 * time.Hour)}, ids[1:3]},
			{"registration key", ProfileQuery{RegistrationKey: kyc.RegistrationKey(" s000000 2b")}, ids[1:2]},
			{"status", ProfileQuery{Status: kyc.StatusVerified}, ids[:1]},
			{"status pending", ProfileQuery{Status: kyc.StatusPending}, ids[1:]},
			{"offset", ProfileQuery{Offset: 2}, ids[2:]},
			{"limit and offset", ProfileQuery{Offset: 1, Limit: 2}, ids[1:3]},
			{"nothing", ProfileQuery{RegistrationKey: "NOBODY"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if tc.q.Limit == 0 {
					tc.q.Limit = 100
				}
				got, _, err := db.FindProfiles(ctx, acct.ID, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				var gotIDs []string
				for _, p := range got {
					gotIDs = append(gotIDs, p.ID)
				}
				if diff := cmp.Diff(tc.want, gotIDs); diff != "" {
					t.Errorf("ids (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestCursorRoundTrip(t *testing.T) {
	c := Cursor{Sort: SortUpdatedDesc, At: base.Add(1234567 * time.Microsecond), ID: "customer_profile_x"}
	got, err := ParseCursor(c.String())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, got); diff != "" {
		t.Errorf("cursor (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "!!", "e30", Cursor{Sort: "name", ID: "x"}.String(), Cursor{Sort: SortCreatedAsc}.String()} {
		if _, err := ParseCursor(bad); err == nil {
			t.Errorf("ParseCursor(%q) accepted", bad)
		}
	}
}
