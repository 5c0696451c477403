package screening

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openkyc/kyc"
)

// readRemarks reads the dates of birth ("DOB 10 Dec 1948", "DOB 1984", "DOB circa 1960",
// "DOB 1960 to 1962", each maybe after "alt.") and the nationalities and citizenships of an
// OFAC remarks field, and adds the countries to those already known.
func readRemarks(remarks string, countries []string) ([]Date, []string) {
	var births []Date
	for _, item := range strings.Split(remarks, ";") {
		item = strings.TrimPrefix(strings.TrimSpace(item), "alt. ")
		item = strings.TrimSuffix(item, ".")
		switch {
		case strings.HasPrefix(item, "DOB "):
			births = addBirths(births, ofacBirths(strings.TrimPrefix(item, "DOB "))...)
		case strings.HasPrefix(item, "nationality "):
			countries = addCountry(countries, strings.TrimPrefix(item, "nationality "))
		case strings.HasPrefix(item, "citizen "):
			countries = addCountry(countries, strings.TrimPrefix(item, "citizen "))
		}
	}
	return births, countries
}

// ofacBirths reads one DOB value; a range gives each year in it (at most ten).
func ofacBirths(s string) []Date {
	s = strings.TrimPrefix(s, "circa ")
	if from, to, ok := strings.Cut(s, " to "); ok {
		a, b := ofacDate(from), ofacDate(to)
		if a == "" || b == "" || b.Year()-a.Year() > 10 || b.Year() < a.Year() {
			return nil
		}
		var years []Date
		for y := a.Year(); y <= b.Year(); y++ {
			years = append(years, Date(fmt.Sprintf("%04d", y)))
		}
		return years
	}
	if d := ofacDate(s); d != "" {
		return []Date{d}
	}
	return nil
}

// ofacDate reads "10 Dec 1948" as a full date, "Dec 1948" and "1948" as a year; "" if none.
func ofacDate(s string) Date {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("02 Jan 2006", s); err == nil {
		return Date(t.Format(time.DateOnly))
	}
	if t, err := time.Parse("Jan 2006", s); err == nil {
		return Date(t.Format("2006"))
	}
	if d, err := ParseDate(s); err == nil && !d.Full() {
		return d
	}
	return ""
}

// addBirths adds dates not yet known, up to maxBirthsEntry.
func addBirths(births []Date, add ...Date) []Date {
	for _, d := range add {
		if len(births) < maxBirthsEntry && !slices.Contains(births, d) {
			births = append(births, d)
		}
	}
	return births
}

// addCountry adds the alpha-2 code of a country named as the lists name it, if it is known
// and not already there. Names that are no country ("undetermined") are skipped.
func addCountry(countries []string, name string) []string {
	code := countryCode(name)
	if code == "" || slices.Contains(countries, code) {
		return countries
	}
	return append(countries, code)
}

// listCountryNames are the spellings of OFAC and the UN that the ISO name lookup does not
// know. Territories are filed under the country the lists' programmes treat them with.
var listCountryNames = map[string]string{
	"burma": "MM", "korea, north": "KP", "korea, south": "KR", "cote d ivoire": "CI",
	"macau": "MO", "palestinian": "PS", "west bank": "PS", "region: gaza": "PS",
	"state of palestine": "PS", "region: crimea": "UA", "the gambia": "GM", "laos": "LA",
	"bahamas, the": "BS", "virgin islands, british": "VG", "congo, democratic republic of the": "CD",
	"congo, republic of the": "CG", "türkiye": "TR", "turkey": "TR", "russia": "RU",
	"syria": "SY", "iran": "IR", "vietnam": "VN", "brunei": "BN", "moldova": "MD",
	"tanzania": "TZ", "venezuela": "VE", "bolivia": "BO", "taiwan": "TW",
	"united republic of tanzania": "TZ", "china, hong kong special administrative region": "HK",
	"region: northern mali": "ML",
}

// countryCode returns the alpha-2 code of a country name, or "" when it is not one.
func countryCode(name string) string {
	name = strings.TrimSpace(name)
	if code, ok := listCountryNames[strings.ToLower(name)]; ok {
		return code
	}
	if len(name) <= 3 {
		return "" // a code, not a name: the lists spell countries out
	}
	code, _ := kyc.NationalityCode(name)
	return code
}
