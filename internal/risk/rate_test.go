package risk

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func codes(r Rating) []string {
	var out []string
	for _, f := range r.Factors {
		out = append(out, f.Code)
	}
	return out
}

func TestRate(t *testing.T) {
	rules := Default()
	person := func(change func(*Input)) Input {
		in := Input{Countries: []Country{{"countryOfResidence", "SG"}, {"nationality", "SG"}},
			Occupation: "ASSOCIATE_OR_ANALYST_OR_EXECUTIVE", Industry: "IT_RELATED", AnnualIncome: "50001_TO_100000",
			TotalWealth: "500001_TO_2000000", ExpectedAnnualVolume: "5001_TO_10000", PurposeOfAccount: "INVESTMENT", SourceOfWealth: true}
		if change != nil {
			change(&in)
		}
		return in
	}
	for _, tc := range []struct {
		name  string
		in    Input
		level Level
		score int
		codes []string
	}{
		{"plain customer", person(nil), Low, 0, nil},
		{"call for action country", person(func(in *Input) { in.Countries[1].Country = "KP" }), Prohibited, 100,
			[]string{"COUNTRY_FATF_CALL_FOR_ACTION"}},
		{"increased monitoring, both fields", person(func(in *Input) { in.Countries = []Country{{"countryOfResidence", "VN"}, {"nationality", "VN"}} }),
			Medium, 30, []string{"COUNTRY_FATF_INCREASED_MONITORING"}},
		{"company operating in Myanmar", Input{Countries: []Country{{"incorporation", "SG"}, {"operatingCountries", "MM"}}}, Prohibited, 100,
			[]string{"COUNTRY_FATF_CALL_FOR_ACTION"}},
		{"casino industry", person(func(in *Input) { in.Industry = "CASINOS_OR_JUNKETS" }), Medium, 30, []string{FactorIndustry}},
		{"self-employed", person(func(in *Input) { in.Occupation = "SELF_EMPLOYED" }), Low, 5, []string{FactorOccupation}},
		{"volume above income", person(func(in *Input) { in.AnnualIncome = "0_TO_30000"; in.ExpectedAnnualVolume = "GT_30000" }),
			Low, 20, []string{FactorVolumeAboveIncome}},
		{"monthly volume counted yearly", Input{AnnualIncome: "100001_TO_500000", ExpectedMonthlyVolume: "500001_TO_1000000"},
			Low, 20, []string{FactorVolumeAboveIncome}},
		{"income above wealth", person(func(in *Input) { in.AnnualIncome = "GT_500000"; in.TotalWealth = "0_TO_500000" }),
			Low, 10, []string{FactorIncomeAboveWealth}},
		{"purpose OTHERS", person(func(in *Input) { in.PurposeOfAccount = "OTHERS" }), Low, 10, []string{FactorPurposeOthers}},
		{"no source of wealth, high wealth", person(func(in *Input) { in.SourceOfWealth = false; in.TotalWealth = "2000001_TO_5000000" }),
			Medium, 25, []string{FactorNoSourceOfWealth}},
		{"no source of wealth, modest wealth", person(func(in *Input) { in.SourceOfWealth = false }), Low, 0, nil},
		{"sanctions hit", person(func(in *Input) { in.SanctionsHits = 1 }), Prohibited, 100, []string{FactorSanctionsHit}},
		{"PEP", person(func(in *Input) { in.PEPHits = 2 }), Medium, 40, []string{FactorPEPHit}},
		{"intermediaries capped", Input{IntermediaryLayers: 5}, Medium, 30, []string{FactorIntermediaries}},
		{"PEP and intermediaries", Input{PEPHits: 1, IntermediaryLayers: 1}, High, 50, []string{FactorPEPHit, FactorIntermediaries}},
		{"unknown bands are no factor", Input{AnnualIncome: "LOTS", ExpectedAnnualVolume: "GT_X"}, Low, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := rules.Rate(tc.in)
			if got.Level != tc.level || got.Score != tc.score || !slices.Equal(codes(got), tc.codes) || got.RulesVersion != rules.Version {
				t.Errorf("got %s %d %v (%s), want %s %d %v", got.Level, got.Score, codes(got), got.RulesVersion, tc.level, tc.score, tc.codes)
			}
			for _, f := range got.Factors {
				if f.Detail == "" {
					t.Errorf("factor %s has no detail", f.Code)
				}
			}
		})
	}
}

func TestRateNamesTheCountryFields(t *testing.T) {
	got := Default().Rate(Input{Countries: []Country{{"countryOfResidence", "YE"}, {"nationality", "SG"}, {"registrationIdCountry", "YE"}}})
	if len(got.Factors) != 1 || !strings.HasPrefix(got.Factors[0].Detail, "countryOfResidence YE, registrationIdCountry YE: FATF plenary of 24 October 2025") {
		t.Errorf("factors %+v", got.Factors)
	}
}

// TestDefaultFATFLists pins the embedded lists to the FATF plenary of 24 October 2025.
func TestDefaultFATFLists(t *testing.T) {
	want := map[string][]string{
		"FATF_CALL_FOR_ACTION":      {"KP", "IR", "MM"},
		"FATF_INCREASED_MONITORING": {"DZ", "AO", "BO", "BG", "CM", "CI", "CD", "HT", "KE", "LA", "LB", "MC", "NA", "NP", "SS", "SY", "VE", "VN", "VG", "YE"},
	}
	got := map[string][]string{}
	for _, l := range Default().CountryLists {
		got[l.Code] = l.Countries
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("country lists (-want +got):\n%s", diff)
	}
}

func TestRulesAreChecked(t *testing.T) {
	valid := string(defaultRules)
	for _, tc := range []struct{ name, rules, want string }{
		{"unknown key", valid + "\nsurprise: 3\n", "field surprise not found"},
		{"misspelt key", strings.Replace(valid, "pepHit:", "pepHits:", 1), "pepHits"},
		{"no version", strings.Replace(valid, `version: "2026-12-01"`, `version: ""`, 1), "version is required"},
		{"levels out of order", strings.Replace(valid, "high: 50", "high: 20", 1), "0 < medium < high"},
		{"bad country", strings.Replace(valid, "[KP, IR, MM]", "[KP, IR, UK]", 1), `"UK" is not an ISO`},
		{"negative points", strings.Replace(valid, "purposeOthers: 10", "purposeOthers: -1", 1), "purposeOthers: points must be 0 to 1000"},
		{"too many points", strings.Replace(valid, "CASINOS_OR_JUNKETS: 30", "CASINOS_OR_JUNKETS: 5000", 1), "CASINOS_OR_JUNKETS"},
		{"not YAML", "version: [", "yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.rules))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	custom := strings.Replace(string(defaultRules), `version: "2026-12-01"`, `version: "acme-7"`, 1)
	if err := os.WriteFile(path, []byte(custom), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Load(path)
	if err != nil || r.Version != "acme-7" || r.Rate(Input{}).RulesVersion != "acme-7" {
		t.Fatalf("Load: %+v %v", r, err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.yaml")); err == nil {
		t.Error("a missing file loaded")
	}
}
