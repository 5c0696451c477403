package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestSummaryComparesShares holds that the seeded column compares shares of the bare server,
// not raw rates: here the machine ran twice as fast during the seeded runs (the bare server
// too), and the database's size cost a tenth of the share.
func TestSummaryComparesShares(t *testing.T) {
	var out bytes.Buffer
	c := &cli{stdout: &out}
	c.printSummary([]benchSummary{
		{target: "sqlite-empty", scenario: "get", rps: 1000, ratio: 0.100, rss: "1 kB"},
		{target: "sqlite-seeded", scenario: "get", rps: 1800, ratio: 0.090, rss: "1 kB"},
	})
	want := "| sqlite-seeded | get | 1800 | 0.090 | 0.00ms | 0.00ms | 0 | 0.90 |"
	if !strings.Contains(out.String(), want) {
		t.Errorf("summary lacks %q:\n%s", want, out.String())
	}
}
