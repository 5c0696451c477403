package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestWebhookSecretRotate(t *testing.T) {
	env := map[string]string{"KYC_DB": dbPath(t)}
	r := runKyc(t, env, "account", "create", "--name", "acme", "--json")
	var created struct{ AccountID string }
	if err := json.Unmarshal([]byte(r.stdout), &created); err != nil || r.code != 0 {
		t.Fatalf("account create: %+v (%v)", r, err)
	}
	var secrets []string
	for range 2 {
		r := runKyc(t, env, "webhook", "secret", "rotate", "--account", created.AccountID, "--json")
		var out struct{ Secret string }
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 || !strings.HasPrefix(out.Secret, "whsec_") {
			t.Fatalf("rotate: %+v (%v)", r, err)
		}
		secrets = append(secrets, out.Secret)
	}
	if secrets[0] == secrets[1] {
		t.Errorf("two rotations gave the same secret")
	}
	if r := runKyc(t, env, "webhook", "secret", "rotate", "--account", "account_nope"); r.code == 0 {
		t.Errorf("rotate for an unknown account succeeded: %+v", r)
	}
}
