package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/keys"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/store"
)

// TestKeyCommandsAreAudited: converting a database in clear, a failed rotation and a
// rotation are each one record of the audit log, under the operator's name, with what they
// counted and their outcome, and no key in it; the chain still verifies.
func TestKeyCommandsAreAudited(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		kek := pgtest.KEKOf(dsn)
		if kek == "" {
			kek = newKEK(t)
		}
		clear, err := store.OpenWith(t.Context(), dsn, store.Options{Keys: store.KeyOptions{Plaintext: true}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := clear.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		accountID, _ := kyctest.NewAccount(t, clear, "acme")
		for i := range 3 {
			body := kyctest.ValidProfile()
			body["registrationId"] = fmt.Sprintf("S%07dA", i)
			if _, err := clear.CreateProfile(t.Context(), accountID, kyc.PersonalCPPlus, kyctest.Data(t, kyc.PersonalCPPlus, body)); err != nil {
				t.Fatal(err)
			}
		}
		clear.Close()

		env := map[string]string{"KYC_DB": dsn, "KYC_KEK": kek, "KYC_OPERATOR": "olga"}
		next := newKEK(t)
		for _, step := range []struct {
			args []string
			ok   bool
		}{
			{[]string{"keys", "encrypt"}, true},
			{[]string{"keys", "rotate", "--new-kek", "base64key://"}, false},
			{[]string{"keys", "rotate", "--new-kek", next}, true},
		} {
			if r := runKyc(t, env, step.args...); (r.code == 0) != step.ok {
				t.Fatalf("kyc %v: exit %d, %s", step.args, r.code, r.stderr)
			}
		}
		env["KYC_KEK"] = next
		if r := runKyc(t, env, "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "intact: 3 records") {
			t.Fatalf("verify: %+v", r)
		}
		r := runKyc(t, env, "audit", "export")
		if r.code != 0 {
			t.Fatalf("export: %+v", r)
		}
		for _, secret := range []string{kek, next, keyOf(t, next)} {
			if secret != "" && strings.Contains(r.stdout, secret) {
				t.Errorf("the audit log holds key material %q", secret)
			}
		}
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			var rec kyc.AuditRecord
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			got = append(got, fmt.Sprint(rec.Actor.Type, " ", rec.Actor.ID, " ", rec.Action, " ", len(rec.Targets), " ", rec.Outcome, " ", rec.Counts))
		}
		want := []string{
			"operator olga keys.encrypt 0 ok map[profiles.attributes:3]",
			"operator olga keys.rotate 0 " + kyc.CodeInternal + " map[]",
			// Three profiles' keys, the keyed hashes' key and the service's key.
			"operator olga keys.rotate 1 ok map[rewrapped:5]",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if r := runKyc(t, env, "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "intact: 4 records") {
			t.Errorf("verify after the export: %+v", r)
		}
		// The counts are covered by the hash: changing one by SQL breaks the chain there.
		kyctest.ExecSQL(t, dsn, `UPDATE audit_log SET counts = '{"rewrapped":1}' WHERE seq = 3`)
		if r := runKyc(t, env, "audit", "verify"); r.code == 0 || !strings.Contains(r.stderr, "record 3: its content") {
			t.Errorf("verify after editing the counts: %+v", r)
		}
	})
}

func newKEK(t *testing.T) string {
	t.Helper()
	u, err := keys.NewLocalURL()
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// keyOf is the key a base64key:// URL holds, as it would appear in text.
func keyOf(t *testing.T, kek string) string {
	u, err := url.Parse(kek)
	if err != nil || u.Scheme != "base64key" {
		return ""
	}
	return u.Host
}
