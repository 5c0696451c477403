package kyc

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/biter777/countries"
	"github.com/google/go-cmp/cmp"
)

// TestAssignedCountries pins what the library gives: 252 codes, of which all but AN, XK and
// YU are the 249 officially assigned ones.
func TestAssignedCountries(t *testing.T) {
	if got := len(countries.All()); got != 252 {
		t.Errorf("got %d codes from countries.All(), want 252 (library changed: review notAssigned)", got)
	}
	if got := len(isoCountries.alpha2); got != 249 {
		t.Errorf("got %d assigned alpha-2 codes, want 249", got)
	}
	if got := len(isoCountries.alpha3); got != 249 {
		t.Errorf("got %d assigned alpha-3 codes, want 249", got)
	}
	var left []string
	for _, c := range countries.All() {
		if !CountryAssigned(c.Alpha2()) {
			left = append(left, c.Alpha2())
		}
	}
	slices.Sort(left)
	if diff := cmp.Diff([]string{"AN", "XK", "YU"}, left); diff != "" {
		t.Errorf("codes left out mismatch (-want +got):\n%s", diff)
	}
}

// isoCodes reads Debian's iso-codes list of ISO 3166-1, an independent source, when the
// machine has it.
func isoCodes(t *testing.T) []map[string]string {
	t.Helper()
	data, err := os.ReadFile("/usr/share/iso-codes/json/iso_3166-1.json")
	if err != nil {
		t.Skip("no iso-codes on this machine:", err)
	}
	var file map[string][]map[string]string
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	return file["3166-1"]
}

func TestAssignedCountriesMatchISOCodes(t *testing.T) {
	entries := isoCodes(t)
	want := map[string]string{}
	for _, e := range entries {
		want[e["alpha_3"]] = e["alpha_2"]
	}
	if diff := cmp.Diff(want, isoCountries.alpha3); diff != "" {
		t.Errorf("assigned codes differ from iso-codes (-iso-codes +ours):\n%s", diff)
	}
}

// TestNationalityNamesNeverWrong looks up every ISO short, official and common name: a name
// may be refused, but never taken for another country.
func TestNationalityNamesNeverWrong(t *testing.T) {
	found := 0
	for _, e := range isoCodes(t) {
		for _, key := range []string{"name", "official_name", "common_name"} {
			name := e[key]
			if name == "" {
				continue
			}
			got, ok := NationalityCode(name)
			if ok && got != e["alpha_2"] {
				t.Errorf("NationalityCode(%q) = %s, want %s or refused", name, got, e["alpha_2"])
			}
			if ok {
				found++
			}
		}
	}
	if found < 249 {
		t.Errorf("got %d names recognised, want at least one per country", found)
	}
}

func TestCountryAssigned(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"SG", true}, {"GB", true}, {"SS", true}, {"BQ", true}, {"AQ", true},
		{"sg", false}, {"Sg", false}, {"SGP", false}, {"", false}, {" SG", false},
		{"UK", false}, {"XK", false}, {"AN", false}, {"YU", false}, {"EU", false}, {"ZZ", false},
	}
	for _, tt := range tests {
		if got := CountryAssigned(tt.code); got != tt.want {
			t.Errorf("CountryAssigned(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestNationalityCode(t *testing.T) {
	tests := []struct {
		in, want string // want "" = refused
	}{
		{"SG", "SG"}, {"sg", "SG"}, {"SGP", "SG"}, {"sgp", "SG"}, {" CN ", "CN"},
		{"Singapore", "SG"}, {"SINGAPORE", "SG"}, {"united kingdom", "GB"}, {"Viet Nam", "VN"},
		{"Côte d'Ivoire", "CI"}, {"Türkiye", "TR"}, {"Åland Islands", "AX"},
		// The iban.com list's ISO short names, qualifiers included.
		{"Korea (the Republic of)", "KR"},
		{"Korea (the Democratic People's Republic of)", "KP"}, // ByName alone: KR
		{"Congo (the)", "CG"},
		{"Congo (the Democratic Republic of the)", "CD"}, // ByName alone: CG
		{"Republic of the Congo", "CG"},                  // ByName alone: CD
		{"Virgin Islands (British)", "VG"},
		{"Virgin Islands (U.S.)", "VI"},
		{"Taiwan (Province of China)", "TW"},
		{"Venezuela (Bolivarian Republic of)", "VE"},
		{"Tanzania, United Republic of", "TZ"},
		{"Palestine, State of", "PS"},
		{"United Kingdom of Great Britain and Northern Ireland (the)", "GB"},
		{"Netherlands (the)", "NL"},
		{"Sint Maarten (Dutch part)", "SX"},
		{"Korea (North)", "KP"},
		// Refused: not a country, not assigned, ambiguous or not a name.
		{"SINGAPOREAN", ""}, {"Islands", ""}, {"Republic", ""}, {"Democratic Republic", ""},
		{"UK", ""}, {"XK", ""}, {"Kosovo", ""}, {"YU", ""}, {"Yugoslavia", ""},
		{"Netherlands Antilles", ""}, {"ZZ", ""}, {"ZZZ", ""}, {"", ""}, {"International", ""},
		{"Singapore123", ""}, {"S G", ""}, {"S.G.", ""},
		{"Congo, Democratic Republic of", ""}, {"China (Taiwan)", ""},
	}
	for _, tt := range tests {
		got, ok := NationalityCode(tt.in)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("NationalityCode(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}
