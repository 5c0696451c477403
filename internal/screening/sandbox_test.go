package screening_test

import (
	"os"
	"strings"
	"testing"

	"github.com/openkyc/kyc/internal/screening"
)

// TestSandboxNamesDocumented keeps the README's table of magic names the same as the list.
func TestSandboxNamesDocumented(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, e := range screening.SandboxEntries {
		row := "| `" + e.Ref + "` | " + string(e.Kind) + " | " + e.Name + " |"
		if !strings.Contains(readme, row) {
			t.Errorf("README lacks the row %q", row)
		}
	}
	if n := strings.Count(readme, "| `SBX-"); n != len(screening.SandboxEntries) {
		t.Errorf("README lists %d sandbox entries, the list has %d", n, len(screening.SandboxEntries))
	}
}
