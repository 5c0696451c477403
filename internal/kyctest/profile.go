package kyctest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/fixtures"
)

// ValidProfile is a valid personal CP+ create body: the official "Personal CP+ – Sample
// Request" with the required purposeOfAccount it omits. Each call returns a fresh copy that
// a test may change.
func ValidProfile() map[string]any { return fixtures.Profile(kyc.PersonalCPPlus.Name) }

// ValidBody is a valid create body of kind k (see package fixtures).
func ValidBody(k *kyc.Kind) map[string]any { return fixtures.Profile(k.Name) }

// Data validates body as kind k and returns its data, for tests that create profiles
// straight through the store.
func Data(tb testing.TB, k *kyc.Kind, body map[string]any) kyc.Data {
	tb.Helper()
	d, err := kyc.DefaultCatalog().Validate(k, body, time.Now())
	if err != nil {
		tb.Fatalf("fixture of kind %s refused: %v", k.Name, err)
	}
	return d
}

// JSON marshals v for a request body.
func JSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only test values built in code reach here
	}
	return b
}

// JSONRoundTrip is v as encoding/json gives it back after a trip through JSON, to compare
// a body sent with what a response echoes.
func JSONRoundTrip(v map[string]any) map[string]any {
	var out map[string]any
	if err := json.Unmarshal(JSON(v), &out); err != nil {
		panic(err)
	}
	return out
}
