package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
