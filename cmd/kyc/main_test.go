package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/openkyc/kyc/internal/kyctest"
)

// TestMain lets a test start this very binary as `kyc` in a child process (see
// startServerProcess): with KYC_TEST_MAIN set, the test binary runs the program instead.
func TestMain(m *testing.M) {
	if os.Getenv("KYC_TEST_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// result is what one run of the program did.
type result struct {
	code           int
	stdout, stderr string
}

// runKyc runs the program with args and an environment given as a map. A serve it runs has
// no admin listener unless env sets KYC_ADMIN_ADDR: tests run side by side, and the default
// address would be taken.
func runKyc(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr kyctest.Buffer
	lookup := func(k string) (string, bool) {
		v, ok := env[k]
		if !ok && k == "KYC_ADMIN_ADDR" {
			return "", true
		}
		return v, ok
	}
	code := run(context.Background(), args, lookup, &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

func dbPath(t *testing.T) string { return filepath.Join(t.TempDir(), "kyc.db") }

func TestHelpShowsEnvironmentTwins(t *testing.T) {
	r := runKyc(t, nil, "serve", "--help")
	for _, want := range []string{"--addr", "$KYC_ADDR", "--db", "$KYC_DB", "--env", "$KYC_ENV", "$KYC_CATALOG", "$KYC_SHUTDOWN_TIMEOUT",
		"--db-max-conns", "$KYC_DB_MAX_CONNS", "--db-conn-timeout", "$KYC_DB_CONN_TIMEOUT"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("serve --help lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runKyc(t, nil, "apikey", "create", "--help")
	for _, want := range []string{"$KYC_ACCOUNT", "$KYC_EXPIRES_IN", "$KYC_DB"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("apikey create --help lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestBadConfigurationIsRefusedClearly(t *testing.T) {
	missingDir := filepath.Join(t.TempDir(), "no", "such", "dir", "kyc.db")
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"bad env flag", nil, []string{"serve", "--db", dbPath(t), "--env", "staging"}, "--env must be sandbox or production"},
		{"bad env variable", map[string]string{"KYC_ENV": "live"}, []string{"serve", "--db", dbPath(t)}, `"live"`},
		{"bad duration in environment", map[string]string{"KYC_SHUTDOWN_TIMEOUT": "soon"}, []string{"serve"}, "KYC_SHUTDOWN_TIMEOUT"},
		{"bad log format", nil, []string{"serve", "--log-format", "xml"}, "--log-format"},
		{"unknown flag", nil, []string{"serve", "--port", "80"}, "unknown flag"},
		{"unreachable database", nil, []string{"serve", "--db", missingDir}, filepath.Dir(missingDir)},
		{"bad catalog", nil, []string{"serve", "--db", dbPath(t), "--catalog", "/no/such/catalog.json"}, "catalog.json"},
		{"bad risk rules", nil, []string{"serve", "--db", dbPath(t), "--risk-rules", writeFile(t, "rules.yaml", []byte("levels: {medium: 9, high: 3}\n"))}, "risk rules"},
		{"bad webhook retention", nil, []string{"serve", "--db", dbPath(t), "--webhook-retention", "-3d"}, "--webhook-retention"},
		{"lists refresh too often", nil, []string{"serve", "--db", dbPath(t), "--lists-refresh", "10s"}, "--lists-refresh"},
		{"production without a KEK", nil, []string{"serve", "--db", dbPath(t), "--env", "production"}, "production needs --kek"},
		{"PostgreSQL without a KEK", nil, []string{"serve", "--db", "postgres://kyc@127.0.0.1:1/kyc"}, "PostgreSQL needs --kek"},
		{"KEK without its key", nil, []string{"serve", "--db", dbPath(t), "--kek", "base64key://"}, "needs the key"},
		{"account without name", nil, []string{"account", "create", "--db", dbPath(t)}, "name"},
		{"bad pool size in environment", map[string]string{"KYC_DB_MAX_CONNS": "many"}, []string{"migrate"}, "KYC_DB_MAX_CONNS"},
		{"negative pool size", nil, []string{"migrate", "--db", dbPath(t), "--db-max-conns", "-1"}, "--db-max-conns"},
		{"unsupported database", nil, []string{"migrate", "--db", "mysql://localhost/kyc"}, "mysql"},
		{"PostgreSQL not listening", map[string]string{"KYC_DB_CONN_TIMEOUT": "1s"},
			[]string{"migrate", "--db", "postgres://kyc@127.0.0.1:1/kyc"}, "127.0.0.1:1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runKyc(t, tc.env, tc.args...)
			if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want failure mentioning %q", r.code, r.stderr, tc.want)
			}
		})
	}
}

func TestMigrateReportsVersion(t *testing.T) {
	path := dbPath(t)
	r := runKyc(t, map[string]string{"KYC_DB": path}, "migrate")
	if r.code != 0 || !strings.Contains(r.stdout, "(was 0)") {
		t.Fatalf("first migrate: %+v", r)
	}
	again := runKyc(t, nil, "migrate", "--db", "sqlite:"+path)
	version := strings.Fields(r.stdout)[2]
	if again.code != 0 || !strings.Contains(again.stdout, "schema version "+version+" (was "+version+")") {
		t.Errorf("second migrate: %+v, want no change from version %s", again, version)
	}
}

// TestMigratePostgres runs `kyc migrate` on PostgreSQL, from KYC_DB, twice.
func TestMigratePostgres(t *testing.T) {
	env := map[string]string{"KYC_DB": kyctest.PostgresDSN(t), "KYC_DB_MAX_CONNS": "2"}
	r := runKyc(t, env, "migrate")
	if r.code != 0 || !strings.Contains(r.stdout, "(was 0)") {
		t.Fatalf("first migrate: %+v", r)
	}
	version := strings.Fields(r.stdout)[2]
	again := runKyc(t, env, "migrate")
	if again.code != 0 || !strings.Contains(again.stdout, "schema version "+version+" (was "+version+")") {
		t.Errorf("second migrate: %+v, want no change from version %s", again, version)
	}
}

func TestAccountAndAPIKeyCommands(t *testing.T) {
	env := map[string]string{"KYC_DB": migratedDB(t)}
	r := runKyc(t, env, "account", "create", "--name", "acme", "--json")
	var created struct{ AccountID, APIKey, APIKeyID string }
	if err := json.Unmarshal([]byte(r.stdout), &created); err != nil || r.code != 0 {
		t.Fatalf("account create --json: %+v (%v)", r, err)
	}
	if !strings.HasPrefix(created.AccountID, "account_") || !strings.HasPrefix(created.APIKey, "kyc_") {
		t.Errorf("created = %+v", created)
	}
	if r := runKyc(t, env, "account", "create", "--name", "acme"); r.code == 0 {
		t.Errorf("a second account named acme was created: %+v", r)
	}

	r = runKyc(t, env, "apikey", "create", "--account", created.AccountID, "--name", "ci", "--expires-in", "24h", "--json")
	var second struct{ APIKeyID, APIKey string }
	if err := json.Unmarshal([]byte(r.stdout), &second); err != nil || r.code != 0 || second.APIKey == created.APIKey {
		t.Fatalf("apikey create: %+v (%v)", r, err)
	}
	if r := runKyc(t, env, "apikey", "revoke", second.APIKeyID); r.code != 0 {
		t.Fatalf("apikey revoke: %+v", r)
	}
	r = runKyc(t, env, "apikey", "list", "--account", created.AccountID)
	if r.code != 0 || !strings.Contains(r.stdout, second.APIKeyID+"\t") || !strings.Contains(r.stdout, "revoked") {
		t.Errorf("apikey list: %+v", r)
	}
	for _, k := range []string{created.APIKey, second.APIKey} {
		if strings.Contains(r.stdout, k) {
			t.Errorf("apikey list shows a secret: %s", r.stdout)
		}
	}
	if r := runKyc(t, env, "apikey", "create", "--account", "account_nope"); r.code == 0 {
		t.Errorf("apikey create for an unknown account succeeded: %+v", r)
	}
	if r := runKyc(t, env, "account", "list"); !strings.Contains(r.stdout, created.AccountID+"\tacme") {
		t.Errorf("account list: %+v", r)
	}
}

// TestEveryFlagShowsItsEnvironmentTwin walks the whole command tree, completion included.
func TestEveryFlagShowsItsEnvironmentTwin(t *testing.T) {
	root := newRoot(func(string) (string, bool) { return "", false }, io.Discard, io.Discard)
	root.SetArgs([]string{"--help"})
	if err := root.Execute(); err != nil { // Execute adds cobra's own commands, as a real run does
		t.Fatal(err)
	}
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if !cobraFlag(f.Name) && !strings.Contains(f.Usage, "[$"+envName(f.Name)+"]") {
				t.Errorf("%s --%s: usage %q lacks $%s", cmd.CommandPath(), f.Name, f.Usage, envName(f.Name))
			}
		})
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func TestAccountModelCommands(t *testing.T) {
	env := map[string]string{"KYC_DB": migratedDB(t)}
	r := runKyc(t, env, "account", "create", "--name", "regular", "--model", "cp", "--json")
	var created struct{ AccountID, Model string }
	if err := json.Unmarshal([]byte(r.stdout), &created); err != nil || r.code != 0 || created.Model != "cp" {
		t.Fatalf("account create --model cp: %+v (%v)", r, err)
	}
	if r := runKyc(t, env, "account", "create", "--name", "plus"); r.code != 0 || !strings.Contains(r.stdout, "model cp_plus") {
		t.Errorf("account create without --model: %+v, want the cp_plus default", r)
	}
	if r := runKyc(t, env, "account", "create", "--name", "bad", "--model", "cp+"); r.code == 0 || !strings.Contains(r.stderr, "cp or cp_plus") {
		t.Errorf("account create --model cp+: %+v, want refused", r)
	}
	if r := runKyc(t, env, "account", "update", created.AccountID, "--model", "cp_plus"); r.code != 0 || !strings.Contains(r.stdout, ": model cp_plus, rate limit default, burst default") {
		t.Errorf("account update: %+v", r)
	}
	r = runKyc(t, env, "account", "list", "--json")
	var accounts []struct{ ID, Name, Model string }
	if err := json.Unmarshal([]byte(r.stdout), &accounts); err != nil || len(accounts) != 2 {
		t.Fatalf("account list --json: %+v (%v)", r, err)
	}
	for _, a := range accounts {
		if a.Model != "cp_plus" {
			t.Errorf("account %s has model %q, want cp_plus", a.Name, a.Model)
		}
	}
	if r := runKyc(t, env, "account", "list"); !strings.Contains(r.stdout, "\tregular\tcp_plus\t") {
		t.Errorf("account list: %q, want the model column", r.stdout)
	}
	if r := runKyc(t, env, "account", "update", "account_nope", "--model", "cp"); r.code == 0 {
		t.Errorf("account update of an unknown account: %+v", r)
	}
}
