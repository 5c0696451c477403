package main

import (
	"context"
	"database/sql"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestBench runs `kyc bench` end to end at a tiny scale, its servers and load generators
// being this test binary started as kyc (TestMain): every configuration asked for prints
// a summary row for every scenario with a rate above zero and no error, and its peak RSS.
// With KYC_TEST_POSTGRES_DSN, a PostgreSQL configuration runs too, and the schemas the
// bench makes in that database are gone afterwards.
//
// A configuration starts 14 processes; under the race detector each takes about a second
// more to start, so that run keeps to the seeded SQLite one (the path with the most in it)
// and stays well under a minute: about 25 s without the detector (three configurations
// with PostgreSQL), 30 s with it.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("starts some forty processes")
	}
	t.Setenv("KYC_TEST_MAIN", "1") // the children run the program, not the tests
	configs := []string{"sqlite-empty", "sqlite-seeded"}
	if raceDetector {
		configs = []string{"sqlite-seeded"}
	}
	args := []string{"bench", "--profiles", "1000", "--rounds", "1", "--conns", "8", "--warmup", "50ms", "--duration", "600ms"}
	pg := os.Getenv("KYC_TEST_POSTGRES_DSN")
	var before []string
	if pg != "" && !raceDetector {
		configs = append(configs, "postgres-empty")
		args = append(args, "--postgres", pg)
		before = benchSchemas(t, pg)
	}
	r := runKyc(t, nil, append(args, "--only", strings.Join(configs, ","))...)
	if r.code != 0 {
		t.Fatalf("kyc bench: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	rows := summaryRows(r.stdout)
	// A seeded configuration is measured only once serve has re-screened every profile.
	if slices.Contains(configs, "sqlite-seeded") && !regexp.MustCompile(`(?m)^re-screened 1000 profiles in `).MatchString(r.stdout) {
		t.Errorf("sqlite-seeded measured before its profiles were re-screened:\n%s", r.stdout)
	}
	for _, cfg := range configs {
		for _, sc := range benchScenarios {
			row, ok := rows[cfg+"/"+sc]
			if !ok {
				t.Errorf("no summary row for %s %s", cfg, sc)
				continue
			}
			if rps, err := strconv.ParseFloat(row[2], 64); err != nil || rps <= 0 {
				t.Errorf("%s %s: %s requests/s, want more than 0", cfg, sc, row[2])
			}
			if row[6] != "0" {
				t.Errorf("%s %s: %s errors, want 0", cfg, sc, row[6])
			}
		}
		if !regexp.MustCompile(`(?m)^peak RSS of kyc serve, ` + cfg + `: [1-9][0-9]* kB$`).MatchString(r.stdout) {
			t.Errorf("no peak RSS of %s", cfg)
		}
	}
	if len(rows) != len(configs)*len(benchScenarios) {
		t.Errorf("%d summary rows, want %d", len(rows), len(configs)*len(benchScenarios))
	}
	if t.Failed() {
		t.Logf("output:\n%s", r.stdout)
	}
	if pg != "" {
		if after := benchSchemas(t, pg); !slices.Equal(after, before) {
			t.Errorf("schemas kyc_bench_* before the bench %v, after %v", before, after)
		}
	}
}

// summaryRows reads the summary table: its cells by "database/scenario".
func summaryRows(out string) map[string][]string {
	rows := map[string][]string{}
	for line := range strings.Lines(out) {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) != 8 || strings.TrimSpace(cells[0]) == "Database" || strings.HasPrefix(cells[0], "---") {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows[cells[0]+"/"+cells[1]] = cells
	}
	return rows
}

// benchSchemas lists the schemas of the bench's names in the database at dsn.
func benchSchemas(t *testing.T, dsn string) []string {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(context.Background(),
		`SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'kyc\_bench\_%' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}
