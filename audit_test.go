package kyc_test

import (
	"os"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
)

// TestAuditActionsDocumented holds README's list of audited actions to AuditActions.
func TestAuditActionsDocumented(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "| `action` |") {
			row = line
		}
	}
	var documented []string
	for i, part := range strings.Split(row, "`") {
		if i%2 == 1 && part != "action" {
			documented = append(documented, part)
		}
	}
	if got, want := strings.Join(documented, " "), strings.Join(kyc.AuditActions(), " "); got != want {
		t.Errorf("README's audited actions:\n%s\nwant (kyc.AuditActions):\n%s", got, want)
	}
}
