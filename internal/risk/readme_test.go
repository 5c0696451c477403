package risk

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadmeExample keeps the README's example rating the one Rate gives for its input.
func TestReadmeExample(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "## Risk rules")
	_, rest, ok2 := strings.Cut(rest, "```json\n")
	example, _, ok3 := strings.Cut(rest, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("README has no JSON example under Risk rules")
	}
	var want Rating
	if err := json.Unmarshal([]byte(example), &want); err != nil {
		t.Fatal(err)
	}
	got := Default().Rate(Input{Countries: []Country{{"countryOfResidence", "VN"}}, TotalWealth: "2000001_TO_5000000"})
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(Factor{})); diff != "" {
		t.Errorf("README example (-README +Rate):\n%s", diff)
	}
}
