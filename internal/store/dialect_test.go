package store

import (
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pressly/goose/v3"
)

// TestMigrationFoldersAgree: each migration exists for both databases, under the same
// version, so that a schema change made for one is not forgotten for the other.
func TestMigrationFoldersAgree(t *testing.T) {
	versions := func(d dialect) []int64 {
		files, err := fs.Glob(migrationFiles, "migrations/"+d.name+"/*.sql")
		if err != nil || len(files) == 0 {
			t.Fatalf("no migrations for %s: %v", d.name, err)
		}
		var out []int64
		for _, f := range files {
			v, err := goose.NumericComponent(f)
			if err != nil {
				t.Fatalf("migration %s: %v", f, err)
			}
			out = append(out, v)
		}
		return out
	}
	if diff := cmp.Diff(versions(sqliteDialect), versions(postgresDialect)); diff != "" {
		t.Errorf("migration versions (-sqlite +postgres):\n%s", diff)
	}
}
