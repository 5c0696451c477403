package server_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/fixtures"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/server"
)

// kindServers serves the API over SQLite and, when KYC_TEST_POSTGRES_DSN is set,
// PostgreSQL, with one account of each integration model.
type kindServer struct {
	*kyctest.Server
	cp, cpPlus *client.Client
}

func eachKindServer(t *testing.T, fn func(t *testing.T, s kindServer)) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		db := kyctest.OpenDB(t, dsn)
		srv := kyctest.Serve(t, db, server.Config{Env: server.Sandbox})
		ks := kindServer{Server: srv}
		for _, m := range []kyc.Model{kyc.ModelCP, kyc.ModelCPPlus} {
			acct, key, _, err := db.CreateAccountWithKey(t.Context(), string(m), "test", m)
			if err != nil {
				t.Fatal(err)
			}
			c := client.New(srv.URL+"/v1", key)
			if m == kyc.ModelCP {
				ks.cp = c
			} else {
				ks.cpPlus, ks.AccountID = c, acct.ID
			}
		}
		fn(t, ks)
	})
}

func (s kindServer) clientFor(k *kyc.Kind) *client.Client {
	if k.Model == kyc.ModelCP {
		return s.cp
	}
	return s.cpPlus
}

// TestEveryKindOverHTTP creates each kind's full fixture (every member its schema
// declares) through the API and reads it back: every member is stored and echoed as sent,
// in a document whose status is the kind's initial one. A member that the schema declares
// but the store or the document lost fails here.
func TestEveryKindOverHTTP(t *testing.T) {
	eachKindServer(t, func(t *testing.T, s kindServer) {
		for _, k := range kyc.Kinds {
			c := s.clientFor(k)
			body := fixtures.Full(k.Name)
			created, err := c.CreateProfileJSON(t.Context(), kyctest.JSON(body))
			if err != nil {
				t.Fatalf("%s: create: %v", k.Name, err)
			}
			read, err := c.GetProfile(t.Context(), created.Data.ID)
			if err != nil {
				t.Fatalf("%s: get: %v", k.Name, err)
			}
			for name, doc := range map[string]*client.Profile{"create": created, "get": read} {
				if diff := cmp.Diff(body, roundTrip(t, doc.Data.Attributes.Data)); diff != "" {
					t.Errorf("%s %s: echoed data differs from the body (-sent +echoed):\n%s", k.Name, name, diff)
				}
				if doc.Data.Attributes.VerificationStatus != k.Initial {
					t.Errorf("%s %s: status %q, want %q", k.Name, name, doc.Data.Attributes.VerificationStatus, k.Initial)
				}
			}
		}
	})
}

func roundTrip(t *testing.T, d kyc.Data) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(kyctest.JSON(d), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBusinessLifecycleOverHTTP: a business CP+ through the typed client, duplicates per
// registration type, the list filter, a merge patch that replaces an array whole, review
// and the webhook; a regular CP created verified with its event.
func TestBusinessLifecycleOverHTTP(t *testing.T) {
	eachKindServer(t, func(t *testing.T, s kindServer) {
		ctx := t.Context()
		var b kyc.Business
		if err := json.Unmarshal(fixtures.Raw(kyc.BusinessCPPlus.Name), &b); err != nil {
			t.Fatal(err)
		}
		created, err := s.cpPlus.CreateProfile(ctx, &b)
		if err != nil {
			t.Fatalf("create business: %v", err)
		}
		var got kyc.Business
		if err := created.Data.Attributes.Decode(&got); err != nil || got.Directors[1].IdentityDocuments.IDBack == "" {
			t.Fatalf("typed read: %+v, %v", got, err)
		}
		// The same company again is a duplicate; a person with the same id is not.
		_, err = s.cpPlus.CreateProfile(ctx, &b)
		wantClientError(t, err, http.StatusConflict, kyc.CodeDuplicate, "Customer profile already exists")
		person := fixtures.Profile(kyc.PersonalCPPlus.Name)
		person["registrationId"] = b.RegistrationID
		if _, err := s.cpPlus.CreateProfileJSON(ctx, kyctest.JSON(person)); err != nil {
			t.Fatalf("a person with the company's registration id: %v", err)
		}
		page, err := s.cpPlus.ListProfiles(ctx, client.ListOptions{RegistrationType: kyc.RegistrationBusiness})
		if err != nil || len(page.Data) != 1 || page.Data[0].ID != created.Data.ID {
			t.Fatalf("filter[registration_type]=business: %+v, %v", page, err)
		}

		// Arrays are replaced whole: one director left.
		patch := map[string]any{"directors": []any{fixtures.Profile(kyc.BusinessCPPlus.Name)["directors"].([]any)[0]}}
		updated, err := s.cpPlus.UpdateProfile(ctx, created.Data.ID, patch, created.ETag)
		if err != nil {
			t.Fatalf("update: %v", err)
		}
		if err := updated.Data.Attributes.Decode(&got); err != nil || len(got.Directors) != 1 || updated.ETag != `"2"` {
			t.Errorf("after the patch: %d directors, ETag %s, %v", len(got.Directors), updated.ETag, err)
		}
		// A director's problem is named by its path.
		_, err = s.cpPlus.UpdateProfile(ctx, created.Data.ID, map[string]any{"directors": []any{map[string]any{"firstName": "A"}}}, "")
		if e := kyc.AsError(err); e == nil || e.Details[0].Field != "directors[0].lastName" {
			t.Errorf("bad director: %v", err)
		}

		verified, err := s.cpPlus.SandboxDecide(ctx, created.Data.ID, kyc.Decision{Status: kyc.StatusVerified})
		if err != nil || verified.Data.Attributes.VerificationStatus != kyc.StatusVerified {
			t.Fatalf("verify: %v", err)
		}
		// A business's contact data leaves it verified; its address does not.
		contact, err := s.cpPlus.UpdateProfile(ctx, created.Data.ID, map[string]any{"businessContact": "+65 6000 0000"}, "")
		if err != nil || contact.Data.Attributes.VerificationStatus != kyc.StatusVerified {
			t.Errorf("contact change: %v, %v", contact, err)
		}
		moved, err := s.cpPlus.UpdateProfile(ctx, created.Data.ID, map[string]any{"address": map[string]any{"city": "Jurong"}}, "")
		if err != nil || moved.Data.Attributes.VerificationStatus != kyc.StatusPending {
			t.Errorf("address change: %v, %v", moved, err)
		}

		// A regular CP is verified at creation, its event written with it.
		regular, err := s.cp.CreateProfileJSON(ctx, fixtures.Raw(kyc.PersonalCP.Name))
		if err != nil || regular.Data.Attributes.VerificationStatus != kyc.StatusVerified {
			t.Fatalf("regular CP: %v, %v", regular, err)
		}
		events, err := s.cp.WebhookEvents(ctx, "")
		if err != nil || len(events) != 1 || events[0].ProfileID != regular.Data.ID {
			t.Fatalf("events of the CP account: %+v, %v", events, err)
		}
		var doc kyc.Document
		if err := json.Unmarshal(events[0].Body, &doc); err != nil || doc.Data.Attributes.Text("customerName") != "Jane Doe" {
			t.Errorf("event body: %s (%v)", events[0].Body, err)
		}
		history, err := s.cp.ProfileHistory(ctx, regular.Data.ID)
		if err != nil || len(history) != 1 || history[0].To != kyc.StatusVerified {
			t.Errorf("history: %+v, %v", history, err)
		}
	})
}

// TestModelMismatchOverHTTP: a CP+ body sent to a CP account is told the account's model.
func TestModelMismatchOverHTTP(t *testing.T) {
	s := kyctest.NewServer(t)
	acct, key, _, err := s.DB.CreateAccountWithKey(t.Context(), "regular", "k", kyc.ModelCP)
	if err != nil {
		t.Fatal(err)
	}
	_ = acct
	resp, body := postProfile(t, s.URL, key, fixtures.Raw(kyc.PersonalCPPlus.Name))
	e := wantError(t, resp, body, http.StatusBadRequest, kyc.CodeInvalid)
	if want := "This account uses the CP integration model"; len(e.Message) < len(want) || e.Message[:len(want)] != want {
		t.Errorf("message %q, want it to start with %q", e.Message, want)
	}
}
