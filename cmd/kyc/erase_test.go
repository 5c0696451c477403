package main

import (
	"strings"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
)

// TestProfileHoldAndErase: an operator's erasure of an open profile is refused without
// --force; a legal hold refuses it even forced, until released; the forced erasure is
// recorded with the operator's name and reason; and every step is in the audit log.
func TestProfileHoldAndErase(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		db := kyctest.OpenDB(t, dsn)
		accountID, _ := kyctest.NewAccount(t, db, "acme")
		p, err := db.CreateProfile(t.Context(), accountID, kyc.PersonalCPPlus, kyctest.Data(t, kyc.PersonalCPPlus, kyctest.ValidProfile()))
		if err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"KYC_DB": dsn, "KYC_OPERATOR": "olga", "KYC_RETENTION": "7y", "KYC_KEK": pgtest.KEKOf(dsn)}
		steps := []struct {
			args []string
			ok   bool
			want string
		}{
			{[]string{"profile", "erase", p.ID, "--reason", "customer asked"}, false, "not closed"},
			{[]string{"profile", "erase", p.ID, "--reason", "x", "--retention", "0d"}, false, "--retention"},
			{[]string{"profile", "hold", p.ID, "--reason", "court order 12/2031"}, true, "under a legal hold since"},
			{[]string{"profile", "erase", p.ID, "--force", "--reason", "court order 13"}, false, "legal hold"},
			{[]string{"profile", "release", p.ID}, true, "has no legal hold"},
			{[]string{"profile", "erase", p.ID, "--force", "--reason", "court order 13"}, true, "erased at"},
			{[]string{"profile", "hold", p.ID, "--reason", "late"}, false, "was erased"},
		}
		for _, s := range steps {
			r := runKyc(t, env, s.args...)
			out := r.stdout + r.stderr
			if (r.code == 0) != s.ok || !strings.Contains(out, s.want) {
				t.Errorf("kyc %v: exit %d, %q; want ok=%v and %q", s.args, r.code, out, s.ok, s.want)
			}
		}
		got, err := db.FindProfileAnyAccount(t.Context(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if e := got.Erasure; got.ErasedAt == nil || got.Data != nil || e == nil || !e.Forced || e.Reason != "court order 13" || e.By != "olga" {
			t.Errorf("after erase: erasedAt %v, data %v, erasure %+v", got.ErasedAt, got.Data, got.Erasure)
		}
		r := runKyc(t, env, "audit", "export")
		for _, want := range []string{`"action":"profile.hold","targets":["` + p.ID + `"],"outcome":"ok"`, `"action":"profile.release"`,
			`"action":"profile.erase","targets":["` + p.ID + `"],"outcome":"ok"`, `{"type":"operator","id":"olga"}`} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("the audit log lacks %s:\n%s", want, r.stdout)
			}
		}
	})
}
