package store

import (
	"strings"
	"testing"

	"github.com/openkyc/kyc"
)

// The queue reads a rating's level with a prefix match on the stored JSON (levelPattern),
// which holds only while kyc.RiskAssessment encodes its level first: reordering its fields
// must fail here rather than silently unsort the queue.
func TestStoredRatingStartsWithLevel(t *testing.T) {
	r := &kyc.RiskAssessment{Level: "high", Score: 7, Factors: []kyc.RiskFactor{{Code: "PEP", Points: 7}}, RulesVersion: "v1"}
	stored := riskJSON(r).String
	if prefix := strings.TrimSuffix(levelPattern(r.Level), "%"); !strings.HasPrefix(stored, prefix) {
		t.Fatalf("stored rating %s does not start with %s", stored, prefix)
	}
}
