package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
)

// TestAuditRecordsOfAPIActions: a create, a get, a failed get and a list each leave one
// record, committed before the answer, with the account, its API key, the request id and
// the ids acted on; an account sees its own records only, filtered and paged.
func TestAuditRecordsOfAPIActions(t *testing.T) {
	kyctest.EachServer(t, server.Config{Env: server.Sandbox}, func(t *testing.T, s *kyctest.Server) {
		_, body := postProfile(t, s.URL, s.APIKey, kyctest.JSON(kyctest.ValidProfile()))
		id := decodeDoc(t, body).Data.ID
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/v1/kyc/customer_profiles/"+id, nil)
		req.Header.Set("X-XFERS-APP-API-KEY", s.APIKey)
		req.Header.Set("X-Request-Id", "trace-42")
		if resp, _ := send(t, req); resp.StatusCode != http.StatusOK {
			t.Fatalf("get: %d", resp.StatusCode)
		}
		call(t, http.MethodGet, s.URL+"/v1/kyc/customer_profiles/customer_profile_nope", s.APIKey, "", nil)
		call(t, http.MethodGet, s.URL+"/v1/kyc/customer_profiles", s.APIKey, "", nil)
		_, otherKey := kyctest.NewAccount(t, s.DB, "other")
		call(t, http.MethodGet, s.URL+"/v1/kyc/customer_profiles", otherKey, "", nil)

		got := auditEvents(t, s, s.APIKey, "")
		type row struct{ action, outcome, target string }
		var rows []row
		for _, r := range got.Data {
			if r.Actor.Type != kyc.AuditByAccount || r.Actor.ID != s.AccountID || r.Actor.APIKeyID == "" {
				t.Errorf("record %d: actor %+v", r.Seq, r.Actor)
			}
			rows = append(rows, row{r.Action, r.Outcome, first(r.Targets)})
		}
		want := []row{
			{kyc.AuditProfileCreate, kyc.AuditOK, id},
			{kyc.AuditProfileGet, kyc.AuditOK, id},
			{kyc.AuditProfileGet, kyc.CodeNotFound, "customer_profile_nope"},
			{kyc.AuditProfileList, kyc.AuditOK, id},
		}
		if !slices.Equal(rows, want) {
			t.Errorf("records = %+v\nwant %+v", rows, want)
		}
		if got.Data[1].RequestID != "trace-42" {
			t.Errorf("request id = %q", got.Data[1].RequestID)
		}
		page := auditEvents(t, s, s.APIKey, "?filter[action]=profile.get&page[size]=1")
		if len(page.Data) != 1 || page.Data[0].Targets[0] != id || page.Links.Next == nil {
			t.Fatalf("filtered first page = %+v", page)
		}
		next := auditEvents(t, s, s.APIKey, (*page.Links.Next)[len("/v1/audit-events"):])
		if len(next.Data) != 1 || next.Data[0].Outcome != kyc.CodeNotFound {
			t.Errorf("second page = %+v", next.Data)
		}
		if got := auditEvents(t, s, s.APIKey, "?filter[to]=2000-01-01T00:00:00Z"); len(got.Data) != 0 || got.Links.Next != nil {
			t.Errorf("records before 2000: %+v", got)
		}
		if got := auditEvents(t, s, s.APIKey, "?filter[from]=2000-01-01T00:00:00Z&filter[customer_profile_id]="+id); len(got.Data) != 3 {
			t.Errorf("records of %s since 2000: %d, want create, get and list", id, len(got.Data))
		}
		if n, err := s.DB.VerifyAudit(t.Context()); err != nil || n < 6 {
			t.Errorf("verify: %d, %v", n, err)
		}
		resp, b := call(t, http.MethodGet, s.URL+"/v1/audit-events?filter[action]=nope&sort=x", s.APIKey, "", nil)
		if e := wantError(t, resp, b, http.StatusBadRequest, kyc.CodeInvalid); len(e.Details) != 2 {
			t.Errorf("details = %+v, want both problems", e.Details)
		}
	})
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func auditEvents(t *testing.T, s *kyctest.Server, key, query string) server.AuditEvents {
	t.Helper()
	resp, b := call(t, http.MethodGet, s.URL+"/v1/audit-events"+query, key, "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("audit events: %d %s", resp.StatusCode, b)
	}
	var out server.AuditEvents
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
