package main

import (
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestDatabaseFilesArePrivate: the database and its -wal and -shm files hold personal data,
// and serve's lock file is beside them; none may be readable by other users, whatever the
// umask says.
func TestDatabaseFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	path := dbPath(t)
	s := startServe(t, "--db", path)
	key := printedKey.FindString(s.stdout.String())
	get(t, s.base+"/v1/authorize/hello", key) // the server has written: the WAL exists
	for _, name := range []string{path, path + "-wal", path + "-shm", path + ".lock"} {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(name), mode)
		}
	}
}

// TestCommandsNeedAnExistingDatabase: run in the wrong directory, an administration command
// must say where it looked rather than create an empty database and report "not found".
func TestCommandsNeedAnExistingDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.db")
	for _, args := range [][]string{
		{"account", "list"},
		{"account", "create", "--name", "acme"},
		{"apikey", "create", "--account", "default"},
		{"apikey", "list", "--account", "default"},
		{"publickey", "list", "--account", "default"},
		{"signing", "enable", "--account", "default"},
		{"webhook", "secret", "rotate", "--account", "default"},
		{"apikey", "revoke", "apikey_x"},
		{"profile", "review", "customer_profile_x", "--status", "verified", "--reviewer", "a"},
	} {
		r := runKyc(t, map[string]string{"KYC_DB": path}, args...)
		if r.code == 0 || !strings.Contains(r.stderr, "no database at "+path) {
			t.Errorf("%s: exit %d, stderr %q; want a refusal naming %s", strings.Join(args, " "), r.code, r.stderr, path)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Fatalf("%s created %s", strings.Join(args, " "), path)
		}
	}
	if r := runKyc(t, map[string]string{"KYC_DB": path}, "migrate"); r.code != 0 {
		t.Fatalf("migrate, which creates the database: %d %s", r.code, r.stderr)
	}
	if r := runKyc(t, map[string]string{"KYC_DB": path}, "account", "list"); r.code != 0 || r.stderr != "kyc: database "+path+"\n" {
		t.Errorf("account list on the migrated database: exit %d, stderr %q; want it named", r.code, r.stderr)
	}
}

// TestServeNamesItsDatabase: the log says which database serve uses.
func TestServeNamesItsDatabase(t *testing.T) {
	path := dbPath(t)
	s := startServe(t, "--db", path)
	if want := `"msg":"database","db":"` + path + `"`; !strings.Contains(s.stderr.String(), want) {
		t.Errorf("serve's log lacks %s:\n%s", want, s.stderr)
	}
}

func TestSecondServeOnOneFileIsRefused(t *testing.T) {
	path := dbPath(t)
	first := startServe(t, "--db", path)
	r := runKyc(t, nil, "serve", "--addr", "127.0.0.1:0", "--db", path)
	if r.code == 0 || !strings.Contains(r.stderr, "another kyc serve is using "+path) {
		t.Fatalf("second serve: exit %d, stderr %s", r.code, r.stderr)
	}
	key := printedKey.FindString(first.stdout.String())
	if code := get(t, first.base+"/v1/authorize/hello", key); code != 200 {
		t.Errorf("the first serve after the second was refused: %d", code)
	}
	// Administration commands run beside a serve.
	if r := runKyc(t, nil, "account", "list", "--db", path); r.code != 0 {
		t.Errorf("account list beside serve: %d %s", r.code, r.stderr)
	}
}

// TestSandboxKeyWaitsForTheAddress: a start that cannot listen must not use up the one
// showing of the sandbox key; the next start, which can, shows it.
func TestSandboxKeyWaitsForTheAddress(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	path := dbPath(t)
	r := runKyc(t, nil, "serve", "--addr", taken.Addr().String(), "--db", path)
	if r.code == 0 || printedKey.MatchString(r.stdout) || !strings.Contains(r.stderr, "cannot listen") {
		t.Fatalf("serve on a taken port: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	s := startServe(t, "--db", path)
	if !printedKey.MatchString(s.stdout.String()) {
		t.Errorf("no key on the first start that listened:\n%s", s.stdout)
	}
}

// TestLostSandboxKey: the README's remedy, `kyc apikey create --account default`, works.
func TestLostSandboxKey(t *testing.T) {
	path := dbPath(t)
	s := startServe(t, "--db", path)
	r := runKyc(t, nil, "apikey", "create", "--account", "default", "--db", path)
	key := printedKey.FindString(r.stdout)
	if r.code != 0 || key == "" {
		t.Fatalf("apikey create --account default: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if code := get(t, s.base+"/v1/authorize/hello", key); code != 200 {
		t.Errorf("hello with the new key: %d", code)
	}
	if r := runKyc(t, nil, "apikey", "create", "--account", "nobody", "--db", path); r.code == 0 || !strings.Contains(r.stderr, `"nobody"`) {
		t.Errorf("an unknown account name: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestKeygenDefaultsOutsideTheWorkingDirectory: without --out the key pair goes to kyc's
// private directory under the user's configuration directory, never where the command runs.
func TestKeygenDefaultsOutsideTheWorkingDirectory(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("HOME", config)
	r := runKyc(t, nil, "keygen")
	if r.code != 0 {
		t.Fatalf("keygen: %d %s", r.code, r.stderr)
	}
	dir := filepath.Join(config, "kyc", "keys")
	for name, want := range map[string]fs.FileMode{dir: 0o700} {
		if info, err := os.Stat(name); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: %v %v, want mode %v", name, info.Mode(), err, want)
		}
	}
	keys, _ := filepath.Glob(filepath.Join(dir, "ed25519-*.pem"))
	if len(keys) != 1 || !strings.Contains(r.stdout, "private key: "+keys[0]+"\n") {
		t.Fatalf("keys %v, output %q", keys, r.stdout)
	}
	if info, err := os.Stat(keys[0]); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("private key mode: %v %v", info.Mode(), err)
	}
}

// migratedDB is the path of a new, migrated database: the administration commands need an
// existing one.
func migratedDB(t *testing.T) string {
	t.Helper()
	path := dbPath(t)
	if r := runKyc(t, nil, "migrate", "--db", path); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	return path
}
