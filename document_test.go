package kyc_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/fixtures"
)

// TestAppendDocumentAsEncoder holds the one-pass writer of a profile's document (the
// create and get responses) equal, byte for byte, to what the API answered before it:
// json.Encoder over NewDocument with the data encoded from Data. Every kind, the official
// sample and the full body of each, with a catalog warning and with characters that
// encoding/json escapes, in every state a document shows; the attributes as the store
// wrote them (Data and Encoded), as a get reads them (Encoded alone), and Data alone.
func TestAppendDocumentAsEncoder(t *testing.T) {
	c := kyc.DefaultCatalog()
	for _, k := range kyc.Kinds {
		for name, body := range bodies(k) {
			b, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			_, data, err := c.Decode(k.Model, b, time.Now())
			if err != nil {
				t.Fatalf("%s %s: %v", k.Name, name, err)
			}
			encoded, err := k.EncodeData(data)
			if err != nil {
				t.Fatal(err)
			}
			for state, p := range states(k, data) {
				old := oldDocument(t, c, p)
				for form, q := range forms(p, encoded) {
					w, err := c.ProfileWarnings(q)
					if err != nil {
						t.Fatal(err)
					}
					got, err := kyc.AppendDocument(nil, q, w)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, old) {
						t.Errorf("%s %s %s, %s:\n got %s\nwant %s", k.Name, name, state, form, got, old)
					}
				}
			}
		}
	}
}

// bodies are the official sample of k, its full body, and the full body with a value off
// the catalog and characters encoding/json escapes (<, >, &, non-ASCII; U+2028 is refused by every rule).
func bodies(k *kyc.Kind) map[string]map[string]any {
	odd := fixtures.Full(k.Name)
	if _, ok := odd["occupation"]; ok {
		odd["occupation"] = "SPACE_PIRATE"
	}
	if _, ok := odd["businessIndustry"]; ok {
		odd["businessIndustry"] = "TIME_TRAVEL"
	}
	if addr, ok := odd["address"].(map[string]any); ok && k == kyc.PersonalCPPlus { // the other kinds' streets are plain
		addr["street"] = "Blk 1 <Main> & Sons, Jalan Bésar 周"
	}
	return map[string]map[string]any{"sample": fixtures.Profile(k.Name), "full": fixtures.Full(k.Name), "odd": odd}
}

// states are the profile of data as pending, rejected, rated, closed and erased.
func states(k *kyc.Kind, data kyc.Data) map[string]*kyc.Profile {
	at := time.Date(2026, 12, 1, 21, 30, 5, 123456789, time.FixedZone("SGT", 8*3600))
	base := func() *kyc.Profile {
		return &kyc.Profile{ID: "customer_profile_0b7f0a2c-5a1e-4c43-9c53-3f0e6f1f7a10", Kind: k, Status: kyc.StatusPending,
			Version: 3, CreatedAt: at, UpdatedAt: at.Add(time.Hour), Data: data}
	}
	rejected, rated, closed, erased := base(), base(), base(), base()
	rejected.Status = kyc.StatusRejected
	rejected.Rejection = &kyc.Rejection{Retryable: true, Summary: "ID <expired> & unclear", Codes: []int{101, 102}}
	rated.Risk = &kyc.RiskAssessment{Level: "medium", Score: 40, RulesVersion: "v1",
		Factors: []kyc.RiskFactor{{Code: "pep", Points: 40, Detail: "a & b"}}}
	closed.ClosedAt = &at
	erased.Data, erased.ErasedAt = nil, &at
	return map[string]*kyc.Profile{"pending": base(), "rejected": rejected, "rated": rated, "closed": closed, "erased": erased}
}

// forms are p as the store hands it over: from a write (Data and Encoded), from a get
// (Encoded alone) and without its bytes (Data alone).
func forms(p *kyc.Profile, encoded []byte) map[string]*kyc.Profile {
	if p.Data == nil {
		return map[string]*kyc.Profile{"tombstone": p}
	}
	written, read, plain := *p, *p, *p
	written.Encoded = encoded
	read.Data, read.Encoded = nil, encoded
	return map[string]*kyc.Profile{"written": &written, "read": &read, "data": &plain}
}

// oldDocument is the document as the API wrote it before AppendDocument.
func oldDocument(t *testing.T, c *kyc.Catalog, p *kyc.Profile) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(kyc.NewDocument(p, c.Warnings(p.Data))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestProfileWarningsFromEncoded: the warnings read from the stored bytes alone are those
// of the data, and a body off the catalog has some (so that the comparison above is not
// only of empty lists).
func TestProfileWarningsFromEncoded(t *testing.T) {
	c := kyc.DefaultCatalog()
	for _, k := range kyc.Kinds {
		odd := bodies(k)["odd"]
		data := maps.Clone(odd)
		encoded, err := k.EncodeData(data)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.ProfileWarnings(&kyc.Profile{Kind: k, Encoded: encoded})
		if err != nil {
			t.Fatal(err)
		}
		want := c.Warnings(data)
		if _, hasLists := odd["occupation"]; hasLists && len(want) == 0 {
			t.Errorf("%s: no warning for an occupation off the catalog", k.Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", k.Name, got, want)
		}
	}
	if _, err := c.ProfileWarnings(&kyc.Profile{Encoded: []byte(`["not an object"]`)}); err == nil {
		t.Error("attributes that are no object gave no error")
	}
}
