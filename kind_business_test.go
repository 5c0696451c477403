package kyc_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/fixtures"
)

var businessNow = time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)

// problemsOf validates body as kind k and returns "CODE path" for every problem.
func problemsOf(t *testing.T, k *kyc.Kind, body map[string]any) []string {
	t.Helper()
	_, err := kyc.DefaultCatalog().Validate(k, body, businessNow)
	if err == nil {
		return nil
	}
	e := kyc.AsError(err)
	if e == nil {
		t.Fatalf("error %v is not a *kyc.Error", err)
	}
	var out []string
	for _, d := range e.Details {
		out = append(out, d.Code+" "+d.Field)
	}
	return out
}

// edit changes a fixture at a path of object keys and array indexes ("directors.1.dateOfBirth");
// a nil value deletes the member.
func edit(doc map[string]any, path string, value any) {
	parts := strings.Split(path, ".")
	var cur any = doc
	for _, p := range parts[:len(parts)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			cur = c[atoi(p)]
		}
	}
	last := parts[len(parts)-1]
	switch c := cur.(type) {
	case map[string]any:
		if value == nil {
			delete(c, last)
		} else {
			c[last] = value
		}
	case []any:
		c[atoi(last)] = value
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

type change struct {
	path  string
	value any
}

func TestBusinessCPPlusRules(t *testing.T) {
	link := "https://docs.example.com/x.pdf"
	tests := []struct {
		name    string
		changes []change
		want    []string
	}{
		{"valid", nil, nil},
		{"natureOfBusiness OTHERS needs its details", []change{{"natureOfBusiness", "OTHERS"}}, []string{"XFE15 otherNatureOfBusiness"}},
		{"natureOfBusiness OTHERS with details", []change{{"natureOfBusiness", "OTHERS"}, {"otherNatureOfBusiness", "Tea"}}, nil},
		{"sourceOfFunds without OTHERS needs no details", []change{{"sourceOfFunds", []any{"BUSINESS_REVENUE"}}, {"otherSourceOfFunds", nil}}, nil},
		{"sourceOfFunds with OTHERS needs details", []change{{"otherSourceOfFunds", nil}}, []string{"XFE15 otherSourceOfFunds"}},
		{"sourceOfFunds empty", []change{{"sourceOfFunds", []any{}}}, []string{"XFE12 sourceOfFunds"}},
		{"sourceOfFunds unknown value", []change{{"sourceOfFunds", []any{"BUSINESS_REVENUE", "PERSONAL_SAVINGS"}}}, []string{"XFE12 sourceOfFunds[1]"}},
		{"purposeOfAccount OTHERS needs details", []change{{"otherPurposeOfAccount", nil}}, []string{"XFE15 otherPurposeOfAccount"}},
		{"purpose with a space", []change{{"purposeOfAccount", "TREASURY MANAGEMENT"}, {"otherPurposeOfAccount", nil}}, nil},
		{"purpose spelt with an underscore", []change{{"purposeOfAccount", "TREASURY_MANAGEMENT"}}, []string{"XFE12 purposeOfAccount"}},
		{"published sic volume", []change{{"monthlyTransactionVolume", "100001_TO_10000000"}}, nil},
		{"volume from the stale example", []change{{"monthlyTransactionVolume", "80001_TO_100000"}}, []string{"XFE12 monthlyTransactionVolume"}},
		{"intermediaries true needs documents", []change{{"intermediariesDocuments", nil}}, []string{"XFE15 intermediariesDocuments"}},
		{"intermediaries false needs none", []change{{"intermediaries", false}, {"intermediariesDocuments", nil}}, nil},
		{"intermediaries as the string true", []change{{"intermediaries", "TRUE"}, {"intermediariesDocuments", nil}}, []string{"XFE15 intermediariesDocuments"}},
		{"intermediary documents each required", []change{{"intermediariesDocuments.0.memorandum", nil}}, []string{"XFE15 intermediariesDocuments[0].memorandum"}},
		{"intermediary documents not empty", []change{{"intermediariesDocuments", []any{}}}, []string{"XFE12 intermediariesDocuments"}},
		{"licensed needs the operating licence", []change{{"licensingStatus", "FULLY_LICENSED"}, {"documents.operatingLicense", nil}}, []string{"XFE15 documents.operatingLicense"}},
		{"not subject to licensing needs none", []change{{"documents.operatingLicense", nil}}, nil},
		{"no licensing status needs none", []change{{"licensingStatus", nil}, {"documents.operatingLicense", nil}}, nil},
		{"bad licensing status", []change{{"licensingStatus", "LICENSED"}}, []string{"XFE12 licensingStatus"}},
		{"board resolution required", []change{{"documents.boardResolution", nil}}, []string{"XFE15 documents.boardResolution"}},
		{"at least one director", []change{{"directors", []any{}}}, []string{"XFE12 directors"}},
		{"director's passport by type", []change{{"directors.0.identityDocuments", map[string]any{}}}, []string{"XFE15 directors[0].identityDocuments.passport"}},
		{"director's card sides by type", []change{{"directors.1.identityDocuments", map[string]any{"passport": link}}},
			[]string{"XFE15 directors[1].identityDocuments.idFront", "XFE15 directors[1].identityDocuments.idBack"}},
		{"director's date of birth", []change{{"directors.1.dateOfBirth", "1950-02-30"}}, []string{"XFE12 directors[1].dateOfBirth"}},
		{"director's registration id", []change{{"directors.0.registrationId", "A-123"}}, []string{"XFE12 directors[0].registrationId"}},
		{"director's nationality is a code", []change{{"directors.0.nationality", "Singapore"}}, []string{"XFE12 directors[0].nationality"}},
		{"director's identity documents required", []change{{"directors.0.identityDocuments", nil}}, []string{"XFE15 directors[0].identityDocuments"}},
		{"director unknown member", []change{{"directors.0.proofOfAddress", link}}, []string{"XFE12 directors[0].proofOfAddress"}},
		{"owner's proof of address", []change{{"beneficialOwners.0.proofOfAddress", nil}}, []string{"XFE15 beneficialOwners[0].proofOfAddress"}},
		{"no beneficial owner above the threshold", []change{{"beneficialOwners", []any{}}}, nil},
		{"trader's selfie and liveness", []change{{"trader.selfie", nil}, {"trader.livenessResult", nil}},
			[]string{"XFE15 trader.selfie", "XFE15 trader.livenessResult"}},
		{"trader's proof of address", []change{{"trader.proofOfAddress", nil}}, []string{"XFE15 trader.proofOfAddress"}},
		{"usOwnership required", []change{{"usOwnership", nil}}, []string{"XFE15 usOwnership"}},
		{"address state required", []change{{"address.state", nil}}, []string{"XFE15 address.state"}},
		{"address street SWIFT characters", []change{{"operatingAddress.street", "1 Main St #01-01"}}, []string{"XFE12 operatingAddress.street"}},
		{"address city at most 20", []change{{"address.city", "A City With A Long Name"}}, []string{"XFE12 address.city"}},
		{"registration id rule", []change{{"registrationId", "UEN/123"}}, []string{"XFE12 registrationId"}},
		{"legal form", []change{{"entityLegalForm", "LLP"}}, []string{"XFE12 entityLegalForm"}},
		{"a personal source of wealth", []change{{"sourceOfWealth", map[string]any{"employmentIncome": map[string]any{"document": link}}}},
			[]string{"XFE12 sourceOfWealth.employmentIncome"}},
		{"trading name", []change{{"tradingName", "ABC <Trading>"}}, []string{"XFE12 tradingName"}},
		{"website", []change{{"website", "not a url"}}, []string{"XFE12 website"}},
		{"incorporated in the future", []change{{"dateOfIncorporation", "2099-01-01"}}, []string{"XFE12 dateOfIncorporation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := fixtures.Profile(kyc.BusinessCPPlus.Name)
			for _, c := range tt.changes {
				edit(body, c.path, c.value)
			}
			if diff := cmp.Diff(tt.want, problemsOf(t, kyc.BusinessCPPlus, body)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBusinessCountriesStoredAsAlpha2: the business address's country may be sent as any
// form of a country and is stored as its alpha-2 code, as the schema says.
func TestBusinessCountriesStoredAsAlpha2(t *testing.T) {
	body := fixtures.Profile(kyc.BusinessCPPlus.Name)
	edit(body, "address.country", "Singapore")
	edit(body, "operatingAddress.country", "sgp")
	edit(body, "trader.address.country", "Republic of Korea")
	d, err := kyc.DefaultCatalog().Validate(kyc.BusinessCPPlus, body, businessNow)
	if err != nil {
		t.Fatal(err)
	}
	var b kyc.Business
	if err := (&kyc.Attributes{Data: d}).Decode(&b); err != nil {
		t.Fatal(err)
	}
	got := []string{b.Address.Country, b.OperatingAddress.Country, b.Trader.Address.Country}
	if diff := cmp.Diff([]string{"SG", "SG", "KR"}, got); diff != "" {
		t.Errorf("stored countries (-want +got):\n%s", diff)
	}
	edit(body, "address.country", "Atlantis")
	if got := problemsOf(t, kyc.BusinessCPPlus, body); !cmp.Equal(got, []string{"XFE12 address.country"}) {
		t.Errorf("Atlantis: %v", got)
	}
}

func TestRegularCPRules(t *testing.T) {
	tests := []struct {
		kind    *kyc.Kind
		changes []change
		want    []string
	}{
		{kyc.PersonalCP, nil, nil},
		{kyc.PersonalCP, []change{{"customerName", nil}}, []string{"XFE15 customerName"}},
		{kyc.PersonalCP, []change{{"email", nil}, {"gender", nil}, {"phoneNo", nil}, {"countryOfResidence", nil}}, nil},
		{kyc.PersonalCP, []change{{"address.street", "Block 1 #01-01"}}, []string{"XFE12 address.street"}},
		{kyc.PersonalCP, []change{{"address.state", nil}}, nil},
		{kyc.PersonalCP, []change{{"occupation", "SELF_EMPLOYED"}}, []string{"XFE12 occupation"}},
		{kyc.BusinessCP, nil, nil},
		{kyc.BusinessCP, []change{{"placeOfBiz", nil}, {"placeOfBizCountry", "XX"}}, []string{"XFE15 placeOfBiz", "XFE12 placeOfBizCountry"}},
		{kyc.BusinessCP, []change{{"registrationIdType", "passport"}}, []string{"XFE12 registrationIdType"}},
		{kyc.BusinessCP, []change{{"directors", []any{}}}, []string{"XFE12 directors"}},
	}
	for _, tt := range tests {
		body := fixtures.Profile(tt.kind.Name)
		for _, c := range tt.changes {
			edit(body, c.path, c.value)
		}
		if diff := cmp.Diff(tt.want, problemsOf(t, tt.kind, body)); diff != "" {
			t.Errorf("%s %v: problems (-want +got):\n%s", tt.kind.Name, tt.changes, diff)
		}
	}
}

// TestManyDirectorsProblemsCapped: problems inside arrays are listed by path, all at
// once, up to the cap; the last detail says how many more there were.
func TestManyDirectorsProblemsCapped(t *testing.T) {
	body := fixtures.Profile(kyc.BusinessCPPlus.Name)
	var directors []any
	for range 50 {
		directors = append(directors, map[string]any{"firstName": "A"})
	}
	body["directors"] = directors
	_, err := kyc.DefaultCatalog().Validate(kyc.BusinessCPPlus, body, businessNow)
	e := kyc.AsError(err)
	if e == nil || len(e.Details) != 101 {
		t.Fatalf("got %v with %d details, want 100 problems and a count", err, len(e.Details))
	}
	if e.Details[0].Field != "directors[0].lastName" || e.Details[99].Field == "" {
		t.Errorf("first %q, hundredth %q", e.Details[0].Field, e.Details[99].Field)
	}
	// 50 directors × 8 missing members; 100 listed.
	if last := e.Details[100]; last.Field != "" || !strings.HasPrefix(last.Message, "300 more problems") {
		t.Errorf("last detail = %+v, want the count of the 300 others", last)
	}
}

// TestModelMismatch: a body of the other model's shape is told which model the account
// uses, before the field problems.
func TestModelMismatch(t *testing.T) {
	cat := kyc.DefaultCatalog()
	for _, tt := range []struct {
		model kyc.Model
		body  map[string]any
		want  string
	}{
		{kyc.ModelCPPlus, fixtures.Profile(kyc.PersonalCP.Name), "This account uses the CP+ integration model"},
		{kyc.ModelCP, fixtures.Profile(kyc.PersonalCPPlus.Name), "This account uses the CP integration model"},
		{kyc.ModelCPPlus, fixtures.Profile(kyc.BusinessCP.Name), "This account uses the CP+ integration model"},
	} {
		_, _, err := cat.Decode(tt.model, mustJSON(t, tt.body), businessNow)
		e := kyc.AsError(err)
		if e == nil || !strings.HasPrefix(e.Message, tt.want) || e.Details[0].Field != "registrationType" || len(e.Details) < 2 {
			t.Errorf("%s account: got %v, want %q first, then the problems", tt.model, err, tt.want)
		}
	}
	// An empty body is not taken for the other model.
	_, _, err := cat.Decode(kyc.ModelCPPlus, []byte(`{}`), businessNow)
	if e := kyc.AsError(err); e == nil || strings.Contains(e.Message, "integration model") {
		t.Errorf("empty body: %v", err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPublishedSamples runs StraitsX's four sample requests from the OpenAPI export. Each
// breaks a published rule or list of its own; the outcome for each is the one
// COMPATIBILITY.md documents: refused, naming exactly those fields.
func TestPublishedSamples(t *testing.T) {
	const path = "../shared/reference/straitsx/openapi-customer-profiles.json"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("%s is not readable (it sits beside the repository in the development tree): %v", path, err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Examples map[string]struct {
						Value map[string]any `json:"value"`
					} `json:"examples"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	examples := doc.Paths["/kyc/customer_profiles"]["post"].RequestBody.Content["application/json"].Examples
	tests := []struct {
		sample string
		model  kyc.Model
		want   []string
	}{
		{"Personal CP+ - Sample Request", kyc.ModelCPPlus, []string{"XFE15 purposeOfAccount"}},
		{"Business CP+ - Sample Request", kyc.ModelCPPlus, []string{
			"XFE12 businessContact", "XFE12 monthlyTransactionVolume", "XFE12 sourceOfFunds[0]", "XFE15 documents.boardResolution"}},
		{"Personal CP - Sample Request", kyc.ModelCP, []string{"XFE12 nationality", "XFE12 address.street"}},
		{"Business CP - Sample Request", kyc.ModelCP, []string{"XFE12 address.street"}},
	}
	for _, tt := range tests {
		body, ok := examples[tt.sample]
		if !ok {
			t.Fatalf("sample %q not in %s", tt.sample, path)
		}
		_, _, err := kyc.DefaultCatalog().Decode(tt.model, mustJSON(t, body.Value), businessNow)
		var got []string
		if e := kyc.AsError(err); e != nil {
			for _, d := range e.Details {
				got = append(got, d.Code+" "+d.Field)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.sample, diff)
		}
	}
}
