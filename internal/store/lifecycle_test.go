package store

import (
	"maps"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
)

// setEmail is a change that sets the email.
func setEmail(email string) func(p *kyc.Profile) (kyc.Data, error) {
	return set("email", email)
}

// set is a change that sets one top-level member.
func set(name string, value any) func(p *kyc.Profile) (kyc.Data, error) {
	return func(p *kyc.Profile) (kyc.Data, error) {
		next := maps.Clone(p.Data)
		next[name] = value
		return next, nil
	}
}

func TestUpdateProfileVersions(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		acct := newAccount(t, db, "acme")
		p := newProfile(t, db, acct.ID, "S1234567A")
		got, err := db.UpdateProfile(ctx, acct.ID, p.ID, 1, setEmail("new@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.Text("email") != "new@example.com" {
			t.Errorf("version %d email %q, want 2 new@example.com", got.Version, got.Text("email"))
		}
		// The same change again changes nothing, so the version stays.
		if got, err = db.UpdateProfile(ctx, acct.ID, p.ID, 0, setEmail("new@example.com")); err != nil || got.Version != 2 {
			t.Errorf("no-op update: version %v, err %v; want 2", got, err)
		}
		_, err = db.UpdateProfile(ctx, acct.ID, p.ID, 1, setEmail("old@example.com"))
		wantError(t, err, kyc.CodeDuplicate, http.StatusPreconditionFailed)

		other := newAccount(t, db, "globex")
		_, err = db.UpdateProfile(ctx, other.ID, p.ID, 0, setEmail("x@example.com"))
		wantError(t, err, kyc.CodeNotFound, http.StatusBadRequest)
	})
}

// TestUpdateProfileSameVersionRace: of many updates that all name the same version, exactly
// one applies; the others get 412.
func TestUpdateProfileSameVersionRace(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		acct := newAccount(t, db, "acme")
		p := newProfile(t, db, acct.ID, "S1234567A")
		const n = 20
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				_, errs[i] = db.UpdateProfile(ctx, acct.ID, p.ID, 1, setEmail("writer"+string(rune('a'+i))+"@example.com"))
			})
		}
		close(start)
		wg.Wait()
		won := 0
		for i, err := range errs {
			if err == nil {
				won++
			} else if e := kyc.AsError(err); e == nil || e.Status != http.StatusPreconditionFailed {
				t.Errorf("update %d: %v, want 412", i, err)
			}
		}
		if won != 1 {
			t.Errorf("%d updates won, want exactly 1", won)
		}
		if got, _ := db.FindProfileByID(ctx, acct.ID, p.ID); got.Version != 2 {
			t.Errorf("version = %d, want 2", got.Version)
		}
	})
}

func TestUpdateProfileToTakenRegistrationID(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		acct := newAccount(t, db, "acme")
		first, err := db.CreateProfile(ctx, acct.ID, kyc.PersonalCPPlus, testPersonal("S1234567A"))
		if err != nil {
			t.Fatal(err)
		}
		second, err := db.CreateProfile(ctx, acct.ID, kyc.PersonalCPPlus, testPersonal("S7654321B"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.UpdateProfile(ctx, acct.ID, second.ID, 0, set("registrationId", "s 1234567 a"))
		if e := wantError(t, err, kyc.CodeDuplicate, http.StatusConflict); e.ProfileID != first.ID {
			t.Errorf("duplicate names %q, want %q", e.ProfileID, first.ID)
		}
	})
}

// TestLifecycleHistory walks one profile through every kind of transition and checks the
// status after each step and the history recorded.
func TestLifecycleHistory(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		c := newClock(db)
		acct := newAccount(t, db, "acme")
		p := newProfile(t, db, acct.ID, "S1234567A")
		sandbox := kyc.Actor{Type: kyc.ActorSandbox}
		alice := kyc.Actor{Type: kyc.ActorReviewer, Name: "alice"}
		rename := func(p *kyc.Profile) (kyc.Data, error) {
			return set("customerLastName", p.Text("customerLastName")+"X")(p)
		}
		steps := []struct {
			name string
			do   func() (*kyc.Profile, error)
			want kyc.Status
		}{
			{"verify", func() (*kyc.Profile, error) {
				return db.DecideProfile(ctx, acct.ID, p.ID, kyc.Decision{Status: kyc.StatusVerified}, sandbox)
			}, kyc.StatusVerified},
			{"contact change keeps verified", func() (*kyc.Profile, error) {
				return db.UpdateProfile(ctx, acct.ID, p.ID, 0, setEmail("c@example.com"))
			}, kyc.StatusVerified},
			{"identity change goes back to review", func() (*kyc.Profile, error) {
				return db.UpdateProfile(ctx, acct.ID, p.ID, 0, rename)
			}, kyc.StatusPending},
			{"retryable rejection", func() (*kyc.Profile, error) {
				return db.DecideProfile(ctx, acct.ID, p.ID, kyc.Decision{Status: kyc.StatusRejected, Codes: []int{101}}, alice)
			}, kyc.StatusRejected},
			{"resubmission", func() (*kyc.Profile, error) {
				return db.UpdateProfile(ctx, acct.ID, p.ID, 0, rename)
			}, kyc.StatusPending},
			{"final rejection", func() (*kyc.Profile, error) {
				return db.DecideProfile(ctx, acct.ID, p.ID, kyc.Decision{Status: kyc.StatusRejected, Codes: []int{502}}, alice)
			}, kyc.StatusRejected},
		}
		for _, s := range steps {
			c.t = c.t.Add(1000)
			got, err := s.do()
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if got.Status != s.want {
				t.Fatalf("%s: status %q, want %q", s.name, got.Status, s.want)
			}
		}
		_, err := db.UpdateProfile(ctx, acct.ID, p.ID, 0, rename)
		wantError(t, err, kyc.CodeConditions, http.StatusBadRequest)
		_, err = db.DecideProfile(ctx, acct.ID, p.ID, kyc.Decision{Status: kyc.StatusVerified}, alice)
		wantError(t, err, kyc.CodeConditions, http.StatusBadRequest)

		got, err := db.FindProfileByID(ctx, acct.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&kyc.Rejection{Retryable: false, Summary: "Rejected due to DND country.", Codes: []int{502}}, got.Rejection); diff != "" {
			t.Errorf("stored rejection (-want +got):\n%s", diff)
		}
		history, err := db.FindProfileHistory(ctx, acct.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		type step struct {
			From, To kyc.Status
			Actor    string
			Codes    []int
		}
		var gotSteps []step
		for _, h := range history {
			gotSteps = append(gotSteps, step{h.From, h.To, h.Actor.Type + ":" + h.Actor.Name, h.Codes})
		}
		owner := "account:" + acct.ID
		want := []step{
			{"", "pending", owner, []int{}},
			{"pending", "verified", "sandbox:", []int{}},
			{"verified", "pending", owner, []int{}},
			{"pending", "rejected", "reviewer:alice", []int{101}},
			{"rejected", "pending", owner, []int{}},
			{"pending", "rejected", "reviewer:alice", []int{502}},
		}
		if diff := cmp.Diff(want, gotSteps); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
		if !history[len(history)-1].At.Equal(got.UpdatedAt) {
			t.Errorf("last transition at %v, profile updated at %v", history[len(history)-1].At, got.UpdatedAt)
		}
	})
}
