package kyc_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
)

// TestDecisionRoundTrip: what the client marshals is what the sandbox endpoint decodes.
func TestDecisionRoundTrip(t *testing.T) {
	no := false
	for _, tc := range []struct {
		name string
		d    kyc.Decision
		wire string
	}{
		{"verified", kyc.Decision{Status: kyc.StatusVerified},
			`{"data":{"attributes":{"verificationStatus":"verified"}}}`},
		{"rejected with everything", kyc.Decision{Status: kyc.StatusRejected, Codes: []int{101, 203}, Retryable: &no, Summary: "Blurred."},
			`{"data":{"attributes":{"verificationStatus":"rejected","rejectionCodes":[101,203],"isRetryable":false,"verificationRejectionSummary":"Blurred."}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.d)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.wire {
				t.Errorf("marshalled\n got %s\nwant %s", b, tc.wire)
			}
			got, err := kyc.DecodeDecision(b)
			if err != nil {
				t.Fatalf("DecodeDecision: %v", err)
			}
			if diff := cmp.Diff(tc.d, got); diff != "" {
				t.Errorf("round trip (-sent +decoded):\n%s", diff)
			}
		})
	}
}
