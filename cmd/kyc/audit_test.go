package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/audit"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/server"
	"github.com/openkyc/kyc/internal/store"
)

// auditedDB makes records through the real API on a fresh database of each kind: four
// creates and four gets, eight records with seq 1 to 8.
func auditedDB(t *testing.T, dsn string) {
	t.Helper()
	s := kyctest.Serve(t, kyctest.OpenDB(t, dsn), server.Config{Env: server.Sandbox})
	_, key := kyctest.NewAccount(t, s.DB, "acme")
	for i := range 4 {
		body := kyctest.ValidProfile()
		body["registrationId"] = fmt.Sprintf("S%07dA", i)
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/v1/kyc/customer_profiles", bytes.NewReader(kyctest.JSON(body)))
		req.Header.Set("X-XFERS-APP-API-KEY", key)
		req.Header.Set("Content-Type", "application/json")
		var doc kyc.Document
		do(t, req, &doc)
		req, _ = http.NewRequest(http.MethodGet, s.URL+"/v1/kyc/customer_profiles/"+doc.Data.ID, nil)
		req.Header.Set("X-XFERS-APP-API-KEY", key)
		do(t, req, &doc)
	}
}

func do(t *testing.T, req *http.Request, v any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d", req.Method, req.URL.Path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// TestAuditVerifyFindsTampering edits, deletes and reorders audit rows by SQL, as someone
// with the database alone could, and expects kyc audit verify to name the record at fault
// and exit non-zero; the untouched log verifies.
func TestAuditVerifyFindsTampering(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper []string
		want   string
	}{
		{"edit an outcome", []string{`UPDATE audit_log SET outcome = 'XFE13' WHERE seq = 3`}, "record 3: its content"},
		{"edit a target", []string{`UPDATE audit_log SET targets = '["customer_profile_x"]' WHERE seq = 5`}, "record 5: its content"},
		{"delete one", []string{`DELETE FROM audit_log WHERE seq = 4`}, "record 4: record 4 is missing"},
		{"delete the last", []string{`DELETE FROM audit_log WHERE seq = 8`}, "record 8: the log ends at record 7"},
		{"reorder two", []string{
			`UPDATE audit_log SET seq = 100 WHERE seq = 6`,
			`UPDATE audit_log SET seq = 6 WHERE seq = 7`,
			`UPDATE audit_log SET seq = 7 WHERE seq = 100`}, "record 6: its content"},
		{"rewrite one with its hash", nil, "record 4: its previous hash does not match record 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pgtest.EachDB(t, func(t *testing.T, dsn string) {
				auditedDB(t, dsn)
				env := map[string]string{"KYC_DB": dsn}
				if r := runKyc(t, env, "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "intact: 8 records") {
					t.Fatalf("untouched log: %+v", r)
				}
				tamper := tc.tamper
				if tamper == nil {
					tamper = rehashed(t, dsn, 3)
				}
				kyctest.ExecSQL(t, dsn, tamper...)
				r := runKyc(t, env, "audit", "verify")
				if r.code == 0 || !strings.Contains(r.stderr, "audit log broken at "+tc.want) {
					t.Errorf("after tampering: exit %d, stderr %q; want it to name %q", r.code, r.stderr, tc.want)
				}
			})
		})
	}
}

// rehashed is the SQL that rewrites record seq's outcome together with its hash, as one who
// knows the encoding would: the record is consistent, and the next one no longer follows.
func rehashed(t *testing.T, dsn string, seq int64) []string {
	db := kyctest.OpenDB(t, dsn)
	recs, err := db.FindAuditRecords(t.Context(), store.AuditQuery{After: seq - 1, Limit: 1})
	if err != nil || len(recs) != 1 {
		t.Fatalf("read record %d: %v %v", seq, recs, err)
	}
	r := recs[0]
	r.Outcome = kyc.CodeNotFound
	return []string{fmt.Sprintf(`UPDATE audit_log SET outcome = '%s', hash = '%s' WHERE seq = %d`, r.Outcome, audit.Hash(&r), seq)}
}

// TestCommandsAreAudited: a review at the command line is recorded under the reviewer's
// name, a refused one with its error code, and an export under the operator's.
func TestCommandsAreAudited(t *testing.T) {
	path := dbPath(t)
	p := newProfile(t, path)
	env := map[string]string{"KYC_DB": path, "KYC_OPERATOR": "olga"}
	runKyc(t, env, "profile", "review", p.ID, "--status", "verified", "--reviewer", "alice")
	runKyc(t, env, "profile", "review", "customer_profile_nope", "--status", "verified", "--reviewer", "alice")
	r := runKyc(t, env, "audit", "export")
	if r.code != 0 {
		t.Fatalf("export: %+v", r)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var rec kyc.AuditRecord
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		got = append(got, fmt.Sprint(rec.Actor.Type, " ", rec.Actor.ID, " ", rec.Action, " ", rec.Targets, " ", rec.Outcome))
	}
	want := []string{
		"reviewer alice profile.decide [" + p.ID + "] ok",
		"reviewer alice profile.decide [customer_profile_nope] " + kyc.CodeNotFound,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("exported:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	r = runKyc(t, env, "audit", "export", "--from", "2000-01-01")
	if !strings.Contains(r.stdout, `"id":"olga"`) || !strings.Contains(r.stdout, kyc.AuditLogExport) {
		t.Errorf("the first export is not recorded under the operator: %s", r.stdout)
	}
}
