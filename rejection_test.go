package kyc_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/openkyc/kyc"
)

// TestReasonsReadsStringOrArray: rejection_reason is an array here and a string in
// StraitsX's published example; both decode, and it is always written as an array.
func TestReasonsReadsStringOrArray(t *testing.T) {
	for in, want := range map[string]kyc.Reasons{
		`""`:                           {},
		`null`:                         {},
		`"expired_id"`:                 {"expired_id"},
		`[]`:                           {},
		`["expired_id","dnd_country"]`: {"expired_id", "dnd_country"},
	} {
		var got kyc.Reasons
		if err := json.Unmarshal([]byte(in), &got); err != nil || got == nil || !slices.Equal(got, want) {
			t.Errorf("decode %s: %#v %v, want %#v", in, got, err, want)
		}
	}
	for _, in := range []string{`5`, `{"a":1}`, `[1]`} {
		var got kyc.Reasons
		if err := json.Unmarshal([]byte(in), &got); err == nil {
			t.Errorf("decode %s: no error", in)
		}
	}
	want := `{"status":"rejected","rejection_reason":[],"rejections":null}`
	if b, _ := json.Marshal(kyc.RiskRating{Status: kyc.StatusRejected, RejectionReason: kyc.Reasons{}}); string(b) != want {
		t.Errorf("encoded: %s, want %s", b, want)
	}
}
