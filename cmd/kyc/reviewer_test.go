package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestReviewerCommands(t *testing.T) {
	env := map[string]string{"KYC_DB": migratedDB(t)}
	r := runKyc(t, env, "reviewer", "add", "--name", "Ada Lovelace", "--email", "ada@example.com", "--role", "admin",
		"--console-url", "https://kyc.example/")
	if r.code != 0 || !strings.Contains(r.stdout, "https://kyc.example/console/enrol/") {
		t.Fatalf("reviewer add: %+v", r)
	}
	if r := runKyc(t, env, "reviewer", "add", "--name", "Ada", "--email", "ADA@example.com"); r.code == 0 {
		t.Errorf("a second reviewer with the email: %+v", r)
	}
	if r := runKyc(t, env, "reviewer", "add", "--name", "Eve", "--email", "eve@example.com", "--role", "root"); r.code == 0 {
		t.Errorf("an unknown role: %+v", r)
	}
	r = runKyc(t, env, "reviewer", "disable", "ada@example.com")
	if r.code != 0 || !strings.Contains(r.stdout, "disabled; 0 session(s) ended") {
		t.Errorf("reviewer disable: %+v", r)
	}
	r = runKyc(t, env, "reviewer", "list", "--json")
	var all []struct{ Name, Email, Role, Status string }
	if err := json.Unmarshal([]byte(r.stdout), &all); err != nil || len(all) != 1 {
		t.Fatalf("reviewer list --json: %+v (%v)", r, err)
	}
	if a := all[0]; a.Name != "Ada Lovelace" || a.Email != "ada@example.com" || a.Role != "admin" || a.Status != "disabled" {
		t.Errorf("listed %+v", a)
	}
	if r := runKyc(t, env, "reviewer", "disable", "nobody@example.com"); r.code == 0 {
		t.Errorf("disable of no one: %+v", r)
	}
	r = runKyc(t, env, "reviewer", "reinvite", "ada@example.com", "--console-url", "https://kyc.example")
	if r.code != 0 || !strings.Contains(r.stdout, "reinvited; enrolment link") || !strings.Contains(r.stdout, "https://kyc.example/console/enrol/") {
		t.Errorf("reviewer reinvite: %+v", r)
	}
	r = runKyc(t, env, "reviewer", "list", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &all); err != nil || len(all) != 1 || all[0].Status != "invited" {
		t.Errorf("after reinvite: %+v (%v)", all, err)
	}
	if r := runKyc(t, env, "reviewer", "reinvite", "nobody@example.com"); r.code == 0 || !strings.Contains(r.stderr, "no reviewer has that email") {
		t.Errorf("reinvite of no one: %+v", r)
	}
}
