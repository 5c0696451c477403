package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	oexec "os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/keys"
	"github.com/openkyc/kyc/internal/pgtest"
)

// secrets are distinctive values written through every sealed path by writeSecrets.
var secrets = []string{
	"Quixotrine", "zanzibar.quux@example.org", "ZQ98765432", "Vexillology-Q-7731",
	"Plumbago-A-4410", "Marmalade-Sow-2291", "Tamarind-Summary-5512", "Idem-Body-8812",
	"Hold-Reason-3391", "Resolution-Reason-7710", reviewerName, reviewerEmail, reviewerTOTP,
}

// The distinctive name, email and TOTP secret of writeSecrets' reviewer.
const (
	reviewerName  = "Rhadamanthys Quell"
	reviewerEmail = "rhadamanthys.quell@example.org"
	reviewerTOTP  = "TOTPSECRETQQZZXX2345"
)

// heldID is the registration id of writeSecrets' second profile: held, with a resolved hit.
const heldID = "ZQ22222222"

// writeSecrets writes secrets through every sealed path: a profile's attributes, its
// rejection, its webhook event, an RFI's question and answer, a limit request's source of
// wealth, a hold's and a resolution's reasons, a kept idempotent answer, and an enrolled
// reviewer's name, email and TOTP secret.
func writeSecrets(t *testing.T, db *DB) (*kyc.Account, *kyc.Profile) {
	t.Helper()
	ctx := t.Context()
	_, err := db.CreateReviewer(ctx, NewReviewer{Name: reviewerName, Email: reviewerEmail, Role: kyc.RoleReviewer,
		TOTPSecret: reviewerTOTP, EnrolHash: "enrol-secrets", EnrolExpires: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatalf("CreateReviewer: %v", err)
	}
	if err := db.Enrol(ctx, "enrol-secrets", "argon-hash", true, 1); err != nil {
		t.Fatalf("Enrol: %v", err)
	}
	a := newAccount(t, db, "acme")
	d := testPersonal("ZQ98765432")
	d["firstName"], d["email"] = "Quixotrine", "zanzibar.quux@example.org"
	p, err := db.CreateProfile(ctx, a.ID, kyc.PersonalCPPlus, d)
	if err != nil {
		t.Fatalf("CreateProfile: %v", err)
	}
	req := kyc.RFIRequest{ExpiryDays: 5, Questions: []kyc.Question{
		{ID: 1, Question: "Vexillology-Q-7731", ReplyType: kyc.ReplyText, Status: kyc.QuestionPending}}}
	r, err := db.CreateRFI(ctx, a.ID, p.ID, req, kyc.DefaultRFIExpiryDays)
	if err != nil {
		t.Fatalf("CreateRFI: %v", err)
	}
	answers, err := kyc.DecodeRFIAnswers([]byte(`{"data":{"attributes":{"rfiQuestionAnswers":[{"id":1,"replyType":"TEXT","textReply":"Plumbago-A-4410"}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SubmitRFI(ctx, a.ID, p.ID, r.ID, answers); err != nil {
		t.Fatalf("SubmitRFI: %v", err)
	}
	sow := json.RawMessage(`{"cashSavings":{"document":"https://docs.example/Marmalade-Sow-2291.pdf"}}`)
	if _, err := db.CreateLimitRequest(ctx, a.ID, p.ID, sow); err != nil {
		t.Fatalf("CreateLimitRequest: %v", err)
	}
	d2 := kyc.Decision{Status: kyc.StatusRejected, Summary: "Tamarind-Summary-5512"}
	if p, err = db.DecideProfile(ctx, a.ID, p.ID, d2, kyc.Actor{Type: kyc.ActorReviewer, Name: "rev"}); err != nil {
		t.Fatalf("DecideProfile: %v", err)
	}
	screen := Assess{Screen: func(p *kyc.Profile) *kyc.ProfileScreening {
		return &kyc.ProfileScreening{ProfileID: p.ID, Hits: []kyc.ProfileHit{{ID: "hit_1", Fingerprint: "fp1"}}}
	}}
	held, err := db.CreateAssessedProfile(ctx, a.ID, kyc.PersonalCPPlus, testPersonal(heldID), screen)
	if err != nil {
		t.Fatal(err)
	}
	res := kyc.HitResolution{As: kyc.FalsePositive, Reason: "Resolution-Reason-7710", By: "rev"}
	if _, err := db.ResolveHit(ctx, held.ID, "hit_1", res, Assess{}); err != nil {
		t.Fatalf("ResolveHit: %v", err)
	}
	if _, err := db.HoldProfile(ctx, held.ID, "Hold-Reason-3391"); err != nil {
		t.Fatalf("HoldProfile: %v", err)
	}
	c, err := db.ClaimIdempotencyKey(ctx, idemRequest(a))
	if err != nil {
		t.Fatalf("ClaimIdempotencyKey: %v", err)
	}
	if err := db.FinishIdempotencyKey(ctx, c, &Response{Status: 200, Body: []byte(`{"name":"Idem-Body-8812"}`)}); err != nil {
		t.Fatalf("FinishIdempotencyKey: %v", err)
	}
	return a, p
}

func idemRequest(a *kyc.Account) IdempotencyRequest {
	return IdempotencyRequest{AccountID: a.ID, Key: "k1", TTL: time.Hour, Lease: time.Minute}
}

// readsBack checks that every secret reads back through the store.
func readsBack(t *testing.T, db *DB, a *kyc.Account, p *kyc.Profile) {
	t.Helper()
	ctx := t.Context()
	got, err := db.FindProfileByID(ctx, a.ID, p.ID)
	if err != nil || got.Text("firstName") != "Quixotrine" || got.Rejection == nil || got.Rejection.Summary != "Tamarind-Summary-5512" {
		t.Fatalf("FindProfileByID = %+v, %v", got, err)
	}
	var all bytes.Buffer
	rfis, err := db.FindRFIs(ctx, a.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	json.NewEncoder(&all).Encode(rfis)
	limits, err := db.FindLimitRequests(ctx, a.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	json.NewEncoder(&all).Encode(limits)
	events, err := db.FindWebhookEvents(ctx, a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		all.Write(e.Body)
	}
	c, err := db.ClaimIdempotencyKey(ctx, idemRequest(a))
	if err != nil || c.Replay == nil {
		t.Fatalf("ClaimIdempotencyKey again: %+v, %v", c, err)
	}
	all.Write(c.Replay.Body)
	found, _, err := db.FindProfiles(ctx, a.ID, ProfileQuery{RegistrationKey: heldID, Limit: 1})
	if err != nil || len(found) != 1 || found[0].Hold == nil {
		t.Fatalf("the held profile: %+v, %v", found, err)
	}
	all.WriteString(found[0].Hold.Reason)
	// The resolutions as a new screening finds them (screening_resolutions).
	sc := &kyc.ProfileScreening{ProfileID: found[0].ID, Hits: []kyc.ProfileHit{{ID: "hit_1", Fingerprint: "fp1"}}}
	if err := db.attachResolutions(ctx, db.sql, sc); err != nil || sc.Hits[0].Resolution == nil {
		t.Fatalf("attachResolutions: %+v, %v", sc.Hits[0], err)
	}
	all.WriteString(sc.Hits[0].Resolution.Reason)
	all.WriteString(readReviewer(t, db))
	for _, s := range secrets[3:] {
		if !strings.Contains(all.String(), s) {
			t.Errorf("%s does not read back", s)
		}
	}
	for _, q := range []ProfileQuery{{RegistrationKey: "ZQ98765432"}, {Email: "Zanzibar.Quux@example.org"}} {
		q.Limit = 10
		found, _, err := db.FindProfiles(ctx, a.ID, q)
		if err != nil || len(found) != 1 || found[0].ID != p.ID {
			t.Errorf("FindProfiles(%+v) = %d profiles, %v", q, len(found), err)
		}
	}
}

// readReviewer returns writeSecrets' reviewer as signing in (by the email, in another case)
// and the list of reviewers find them.
func readReviewer(t *testing.T, db *DB) string {
	t.Helper()
	l, err := db.FindLogin(t.Context(), " "+strings.ToUpper(reviewerEmail))
	if err != nil {
		t.Fatalf("FindLogin: %v", err)
	}
	all, err := db.FindReviewers(t.Context())
	if err != nil || len(all) != 1 || all[0] != l.Reviewer {
		t.Fatalf("FindReviewers = %+v, %v; want [%+v]", all, err, l.Reviewer)
	}
	return l.Name + " " + l.Email + " " + l.TOTPSecret
}

// TestNothingInClearAtRest: the secrets are found neither in the SQLite file, its WAL and
// its key store, nor in a pg_dump of the PostgreSQL schemas; the profile's id is (the check
// reads the right bytes).
func TestNothingInClearAtRest(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		db := newTestDB(t, dsn)
		a, p := writeSecrets(t, db)
		readsBack(t, db, a, p)
		// An erasure's reason, which outlives the profile's data key.
		gone := newProfile(t, db, a.ID, "ZQ33333333")
		req := kyc.ErasureRequest{Erasure: kyc.Erasure{Forced: true, Reason: "Erasure-Reason-6620", By: "op"}}
		if _, err := db.EraseProfile(t.Context(), "", gone.ID, req); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FindProfileAnyAccount(t.Context(), gone.ID); err != nil || got.Erasure.Reason != "Erasure-Reason-6620" {
			t.Fatalf("the erased profile's erasure: %+v, %v", got, err)
		}
		raw := rawBytes(t, dsn)
		if !bytes.Contains(raw, []byte(p.ID)) {
			t.Fatalf("the raw bytes (%d) do not hold the profile id: the check reads the wrong thing", len(raw))
		}
		for _, s := range append(secrets, "Erasure-Reason-6620") {
			if containsBytes(raw, s) {
				t.Errorf("%q is stored in clear", s)
			}
		}
	})
}

// rawBytes is everything the database holds: the SQLite files (database, WAL, key store),
// or a pg_dump of the schema and its key store schema.
func rawBytes(t *testing.T, dsn string) []byte {
	t.Helper()
	if path, ok := SQLiteFile(dsn); ok {
		var all []byte
		for _, f := range []string{path, path + "-wal", KeyStoreFile(path), KeyStoreFile(path) + "-wal"} {
			b, err := os.ReadFile(f)
			if err != nil && f == path {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		return all
	}
	if _, err := oexec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump is not installed (apt-get install postgresql-client): the PostgreSQL dump is not checked")
	}
	u, _ := url.Parse(dsn)
	schema := u.Query().Get("search_path")
	u.RawQuery = "sslmode=disable"
	out, err := oexec.CommandContext(t.Context(), "pg_dump", "--data-only", "-n", schema, "-n", schema+"_keys", u.String()).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	return out
}

// TestSealedValueCopiedDoesNotOpen: a sealed value copied into another row, by SQL, does
// not open there, even under the same data key's owner.
func TestSealedValueCopiedDoesNotOpen(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		a, p := writeSecrets(t, db)
		other := newProfile(t, db, a.ID, "S7654321B")
		_, err := db.sql.ExecContext(ctx, `UPDATE profiles SET attributes = (SELECT attributes FROM profiles WHERE id = $1) WHERE id = $2`, p.ID, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindProfileByID(ctx, a.ID, other.ID); !errors.Is(err, keys.ErrOpen) {
			t.Errorf("another profile's attributes: got %v, want keys.ErrOpen", err)
		}
		// Two events of one profile share its data key: only the binding to the row tells
		// them apart.
		events, err := db.FindWebhookEvents(ctx, a.ID, "")
		if err != nil || len(events) < 2 {
			t.Fatalf("events: %d, %v", len(events), err)
		}
		_, err = db.sql.ExecContext(ctx, `UPDATE webhook_events SET body = (SELECT body FROM webhook_events WHERE id = $1) WHERE id = $2`,
			events[0].ID, events[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindWebhookEvent(ctx, a.ID, events[1].ID); !errors.Is(err, keys.ErrOpen) {
			t.Errorf("another event's body under the same key: got %v, want keys.ErrOpen", err)
		}
		_, err = db.sql.ExecContext(ctx, `UPDATE profiles SET attributes = rejection WHERE id = $1`, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindProfileByID(ctx, a.ID, p.ID); !errors.Is(err, keys.ErrOpen) {
			t.Errorf("the rejection in the attributes: got %v, want keys.ErrOpen", err)
		}
	})
}

// TestDestroyDataKey: once its data key is destroyed, nothing of the profile opens, with
// the database and every key that remains, in this instance or a fresh one.
func TestDestroyDataKey(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		db := newTestDB(t, dsn)
		a, p := writeSecrets(t, db)
		if err := db.DestroyDataKey(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		for _, d := range []*DB{db, newTestDB(t, dsn)} {
			if _, err := d.FindProfileByID(ctx, a.ID, p.ID); !errors.Is(err, ErrKeyDestroyed) {
				t.Errorf("FindProfileByID: got %v, want ErrKeyDestroyed", err)
			}
			if _, err := d.FindRFIs(ctx, a.ID, p.ID); err == nil {
				t.Error("FindRFIs opened the erased profile's RFI")
			}
		}
	})
}

func TestKeyStoreBesideSQLite(t *testing.T) {
	dir := t.TempDir()
	db := newTestDB(t, filepath.Join(dir, "kyc.db"))
	if !db.Encrypted() {
		t.Fatal("a test database without a vault")
	}
	for _, f := range []string{"kyc.kek", "kyc.keys.db"} {
		info, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", f, info.Mode().Perm())
		}
	}
}

// TestErasureShredsTheKey: an erased profile's sealed values, put back from a backup taken
// before the erasure, no longer open: erasure destroyed its data key.
func TestErasureShredsTheKey(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		a, p := writeSecrets(t, db)
		var attrs string
		if err := db.sql.QueryRowContext(ctx, `SELECT attributes FROM profiles WHERE id = $1`, p.ID).Scan(&attrs); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CloseProfile(ctx, a.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		// An answer kept for an idempotency key, about the profile (its request's audit
		// record names it).
		idem := IdempotencyRequest{AccountID: a.ID, Key: "about-p", TTL: time.Hour, Lease: time.Minute}
		actx := WithAudit(ctx, NewAudit(kyc.AuditActor{Type: kyc.AuditByAccount, ID: a.ID}, kyc.AuditProfileGet, "", p.ID))
		c, err := db.ClaimIdempotencyKey(actx, idem)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.FinishIdempotencyKey(actx, c, &Response{Status: 200, Body: []byte(`{"name":"Idem-Profile-4471"}`)}); err != nil {
			t.Fatal(err)
		}
		var kept []byte
		if err := db.sql.QueryRowContext(ctx, `SELECT response_body FROM idempotency_keys WHERE key = 'about-p'`).Scan(&kept); err != nil {
			t.Fatal(err)
		}
		req := kyc.ErasureRequest{Erasure: kyc.Erasure{Forced: true, Reason: "test", By: "op"}}
		if _, err := db.EraseProfile(ctx, "", p.ID, req); err != nil {
			t.Fatalf("EraseProfile: %v", err)
		}
		if _, err := db.ClaimIdempotencyKey(ctx, idem); !errors.Is(err, kyc.ErrIdempotencyAnswerLost) {
			t.Errorf("the key of an answer about the erased profile: got %v, want ErrIdempotencyAnswerLost", err)
		}
		// The backup's kept answer, restored: it was sealed under the profile's key.
		if _, err := db.sql.ExecContext(ctx, `UPDATE idempotency_keys SET state = 'done', response_status = 200,
			response_header = '{}', response_body = $1 WHERE key = 'about-p'`, kept); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ClaimIdempotencyKey(ctx, idem); !errors.Is(err, ErrKeyDestroyed) {
			t.Errorf("the restored kept answer of an erased profile: got %v, want ErrKeyDestroyed", err)
		}
		// The backup's row, restored over the tombstone.
		_, err = db.sql.ExecContext(ctx, `UPDATE profiles SET attributes = $1, erased_at = NULL, erasure = NULL WHERE id = $2`, attrs, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindProfileByID(ctx, a.ID, p.ID); !errors.Is(err, ErrKeyDestroyed) {
			t.Errorf("the restored attributes of an erased profile: got %v, want ErrKeyDestroyed", err)
		}
	})
}
