package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
)

func TestLocationHidesCredentials(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://kyc:s3cret@db.internal:5432/kyc?sslmode=verify-full&password=other": "postgres://kyc@db.internal:5432/kyc",
		"postgresql://db.internal/kyc":            "postgresql://db.internal/kyc",
		"postgres://:s3cret@db.internal/kyc#frag": "postgres://@db.internal/kyc",
		"/var/lib/kyc/kyc.db":                     "/var/lib/kyc/kyc.db",
		"sqlite:///var/lib/kyc/kyc.db":            "/var/lib/kyc/kyc.db",
	} {
		got := Location(dsn)
		if got != want || strings.Contains(got, "s3cret") || strings.Contains(got, "other") {
			t.Errorf("Location(%q) = %q, want %q", dsn, got, want)
		}
	}
	abs, _ := filepath.Abs("kyc.db")
	if got := Location("kyc.db"); got != abs {
		t.Errorf("Location(kyc.db) = %q, want the absolute path %q", got, abs)
	}
}

func TestMustExist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kyc.db")
	_, err := OpenWith(context.Background(), path, Options{MustExist: true})
	if !errors.Is(err, ErrNoDatabase) || !strings.Contains(err.Error(), path) {
		t.Fatalf("open a missing file with MustExist: %v, want ErrNoDatabase naming %s", err, path)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("MustExist created the file: %v", err)
	}
	db, err := OpenWith(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("created database: %v %v, want mode 0600", info.Mode(), err)
	}
}

// TestBackup: on SQLite a new 0600 file that opens as a database with the same accounts; an
// existing file is never overwritten; PostgreSQL is sent to its own tools.
func TestBackup(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if _, _, _, err := db.CreateAccountWithKey(ctx, "acme", "first", kyc.ModelCPPlus); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "copy.db")
		err := db.Backup(ctx, path)
		if db.dialect.name == postgresDialect.name {
			if !errors.Is(err, ErrBackupUnsupported) {
				t.Errorf("Backup on PostgreSQL: %v, want ErrBackupUnsupported", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("backup: %v %v, want mode 0600", info.Mode(), err)
		}
		copied := openTestDB(t, path)
		if accts, err := copied.FindAccounts(ctx); err != nil || len(accts) != 1 || accts[0].Name != "acme" {
			t.Errorf("accounts in the copy: %v %v", accts, err)
		}
		if err := db.Backup(ctx, path); err == nil {
			t.Error("a second backup overwrote the first")
		}
	})
}
