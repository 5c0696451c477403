package server_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
)

// These tests drive the lifecycle endpoints through the public client, signed: an account
// with signing on refuses anything the client failed to sign exactly as sent.

// createSigned creates n profiles through c and returns their ids, oldest first.
func createSigned(t *testing.T, c *client.Client, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		body := kyctest.ValidProfile()
		body["registrationId"] = fmt.Sprintf("S%07dA", i)
		doc, err := c.CreateProfileJSON(t.Context(), kyctest.JSON(body))
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		ids[i] = doc.Data.ID
	}
	return ids
}

func TestUpdateThroughSignedClient(t *testing.T) {
	c := newSigning(t, true).client()
	ctx := t.Context()
	id := createSigned(t, c, 1)[0]
	read, err := c.GetProfile(ctx, id)
	if err != nil || read.ETag != `"1"` {
		t.Fatalf("GetProfile: ETag %q, %v; want \"1\"", read.ETag, err)
	}
	patch := map[string]any{"email": "new@example.com", "address": map[string]any{"state": nil}}
	updated, err := c.UpdateProfile(ctx, id, patch, read.ETag)
	if err != nil {
		t.Fatalf("UpdateProfile: %v", err)
	}
	var a kyc.Personal
	if err := updated.Data.Attributes.Decode(&a); err != nil {
		t.Fatal(err)
	}
	if updated.ETag != `"2"` || a.Email != "new@example.com" || a.Address.State != "" || a.Address.City != "XIAMEN" {
		t.Errorf("updated: ETag %q, email %q, address %+v; want \"2\", the new email, state removed, city kept", updated.ETag, a.Email, a.Address)
	}
	// Another writer still holding version 1 is told, not allowed to overwrite.
	_, err = c.UpdateProfileJSON(ctx, id, []byte(`{"email":"stale@example.com"}`), read.ETag)
	wantClientError(t, err, http.StatusPreconditionFailed, kyc.CodeDuplicate,
		"Customer profile was changed by another request: its current version is 2")
	// Without If-Match the change applies to whatever is current.
	if p, err := c.UpdateProfileJSON(ctx, id, []byte(`{"phoneNo":null}`), ""); err != nil || p.ETag == "" {
		t.Fatalf("unconditional update: ETag %q, %v", p.ETag, err)
	}
}

func TestDecisionAndHistoryThroughSignedClient(t *testing.T) {
	s := newSigning(t, true)
	c := s.client()
	ctx := t.Context()
	id := createSigned(t, c, 1)[0]
	rejected, err := c.SandboxDecide(ctx, id, kyc.Decision{Status: kyc.StatusRejected, Codes: []int{101}})
	if err != nil {
		t.Fatalf("SandboxDecide: %v", err)
	}
	if a := rejected.Data.Attributes; a.VerificationStatus != kyc.StatusRejected || a.IsRetryable == nil || !*a.IsRetryable || rejected.ETag == "" {
		t.Fatalf("decided: status %q, isRetryable %v, ETag %q", a.VerificationStatus, a.IsRetryable, rejected.ETag)
	}
	_, err = c.SandboxDecide(ctx, id, kyc.Decision{Status: kyc.StatusVerified})
	wantClientError(t, err, http.StatusBadRequest, kyc.CodeConditions,
		"Invalid state transition from rejected to verified: a rejected profile is decided again only after it is resubmitted")
	if _, err := c.UpdateProfile(ctx, id, map[string]any{"customerFirstName": "MING"}, rejected.ETag); err != nil {
		t.Fatalf("resubmission: %v", err)
	}
	history, err := c.ProfileHistory(ctx, id)
	if err != nil {
		t.Fatalf("ProfileHistory: %v", err)
	}
	var got []string
	for _, h := range history {
		got = append(got, fmt.Sprintf("%s→%s by %s %v", h.From, h.To, h.Actor.Type, h.Codes))
	}
	want := []string{"→pending by account []", "pending→rejected by sandbox [101]", "rejected→pending by account []"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	_, err = c.ProfileHistory(ctx, "customer_profile_unknown")
	wantClientError(t, err, http.StatusBadRequest, kyc.CodeNotFound, "Customer profile not found")
}

func TestSandboxDecideInProductionThroughClient(t *testing.T) {
	s := kyctest.NewServerWith(t, server.Config{Env: server.Production})
	c := client.New(s.URL+"/v1", s.APIKey)
	id := createSigned(t, c, 1)[0]
	_, err := c.SandboxDecide(t.Context(), id, kyc.Decision{Status: kyc.StatusVerified})
	wantClientError(t, err, http.StatusMethodNotAllowed, kyc.CodeSandboxOnly, "Restricted Endpoints Access in Live Mode")
}

func TestListThroughSignedClient(t *testing.T) {
	s := newSigning(t, true)
	c := s.client()
	ctx := t.Context()
	created := createSigned(t, c, 12)
	for _, id := range created[:3] {
		if _, err := c.SandboxDecide(ctx, id, kyc.Decision{Status: kyc.StatusVerified}); err != nil {
			t.Fatal(err)
		}
	}
	// A query with a filter, a sort and brackets to escape, signed as sent.
	page, err := c.ListProfiles(ctx, client.ListOptions{Size: 4, Sort: "-created_at", Status: kyc.StatusPending})
	if err != nil {
		t.Fatalf("ListProfiles: %v", err)
	}
	want := []string{created[11], created[10], created[9], created[8]}
	if diff := cmp.Diff(want, resourceIDs(page.Data)); diff != "" {
		t.Errorf("first page (-want +got):\n%s", diff)
	}
	if page.Meta.Page != (kyc.PageMeta{Size: 4, Number: 1, Count: 4}) || page.NextCursor == "" {
		t.Errorf("meta %+v, next cursor %q; want size 4, number 1, count 4 and a cursor", page.Meta.Page, page.NextCursor)
	}
	next, err := c.ListProfiles(ctx, client.ListOptions{Size: 4, Sort: "-created_at", Status: kyc.StatusPending, After: page.NextCursor})
	if err != nil {
		t.Fatalf("next page: %v", err)
	}
	if diff := cmp.Diff([]string{created[7], created[6], created[5], created[4]}, resourceIDs(next.Data)); diff != "" {
		t.Errorf("second page (-want +got):\n%s", diff)
	}
	_, err = c.ListProfiles(ctx, client.ListOptions{Size: 101})
	if e := kyc.AsError(err); e == nil || e.Code != kyc.CodeInvalid || len(e.Details) != 1 || e.Details[0].Field != "page[size]" {
		t.Errorf("page[size]=101: err %v, want XFE12 naming page[size]", err)
	}
}

func TestAllProfilesWalksEveryPage(t *testing.T) {
	s := newSigning(t, true)
	c := s.client()
	created := createSigned(t, c, 23)
	for _, tc := range []struct {
		name string
		opts client.ListOptions
		want []string
	}{
		{"by cursor from the start", client.ListOptions{Size: 5}, created},
		{"one page", client.ListOptions{Size: 100}, created},
		{"from page 2 by number, then by cursor", client.ListOptions{Size: 5, Number: 2}, created[5:]},
		{"filtered", client.ListOptions{RegistrationID: "s 0000007 a", IdempotencyID: "walk-1"}, created[7:8]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for doc, err := range c.AllProfiles(t.Context(), tc.opts) {
				if err != nil {
					t.Fatalf("AllProfiles: %v", err)
				}
				got = append(got, doc.Data.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	t.Run("an error ends the walk", func(t *testing.T) {
		n := 0
		for _, err := range c.AllProfiles(t.Context(), client.ListOptions{Sort: "name"}) {
			n++
			if e := kyc.AsError(err); e == nil || e.Code != kyc.CodeInvalid {
				t.Errorf("err = %v, want XFE12", err)
			}
		}
		if n != 1 {
			t.Errorf("%d values yielded, want the one error", n)
		}
	})
	t.Run("break stops", func(t *testing.T) {
		n := 0
		for range c.AllProfiles(context.Background(), client.ListOptions{Size: 2}) {
			if n++; n == 3 {
				break
			}
		}
		if n != 3 {
			t.Errorf("%d values, want 3", n)
		}
	})
}

func resourceIDs(rs []kyc.Resource) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}
