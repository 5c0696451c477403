package kyc

import (
	"strings"
	"unicode"

	"github.com/biter777/countries"
)

// countries.All() of biter777/countries v1.7.5 holds 252 codes: the 249 officially assigned
// ISO 3166-1 codes plus these three, which must never pass as a country code: AN
// (Netherlands Antilles) and YU (Yugoslavia) were withdrawn, XK (Kosovo) is user-assigned.
var notAssigned = map[string]bool{"AN": true, "XK": true, "YU": true}

// countryIndex is the set of officially assigned countries, built once from the library.
type countryIndex struct {
	alpha2 map[string]bool   // "SG"
	alpha3 map[string]string // "SGP" → "SG"
	names  []string          // the library's English names, as name keys ("REPUBLICOFKOREA")
}

var isoCountries = newCountryIndex()

func newCountryIndex() countryIndex {
	idx := countryIndex{alpha2: map[string]bool{}, alpha3: map[string]string{}}
	for _, c := range countries.All() {
		a2 := c.Alpha2()
		if notAssigned[a2] {
			continue
		}
		idx.alpha2[a2] = true
		idx.alpha3[c.Alpha3()] = a2
		idx.names = append(idx.names, strings.Join(nameWords(c.String()), ""))
	}
	return idx
}

// CountryAssigned reports whether s is an officially assigned ISO 3166-1 alpha-2 code
// (exact upper case). It is stricter than the published regex /^[A-Z]{2}$/, which lets
// "XX" or "UK" through.
func CountryAssigned(s string) bool {
	return isoCountries.alpha2[s]
}

// maxCountryName is well above the longest country name (58 bytes) and keeps long input
// away from countries.ByName, which builds its key one rune at a time (quadratic).
const maxCountryName = 100

// NationalityCode returns the ISO alpha-2 code for a nationality given as alpha-2,
// alpha-3 or English country name, case-insensitive; ok=false when it is none of these.
// Surrounding white space is ignored, as the field's published regex allows it.
func NationalityCode(s string) (code string, ok bool) {
	s = strings.TrimSpace(s)
	up := strings.ToUpper(s)
	switch {
	case len(s) > maxCountryName:
		return "", false
	case len(up) == 2 && asciiLetters(up):
		code = up
	case len(up) == 3 && asciiLetters(up):
		code = isoCountries.alpha3[up]
	default:
		code = countryByName(s)
	}
	if !CountryAssigned(code) {
		return "", false
	}
	return code, true
}

func asciiLetters(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// nameFixes corrects names that countries.ByName (v1.7.5) maps to the wrong country, and
// adds the ISO short name of the United Kingdom (the iban.com list's spelling), which it
// does not know. The library sends "Republic of Congo" to CD, the other Congo.
var nameFixes = map[string]string{
	"REPUBLICOFCONGO": "CG", "REPUBLICOFKONGO": "CG", "CONGOREPUBLIC": "CG", "KONGOREPUBLIC": "CG",
	"UNITEDKINGDOMOFGREATBRITAINANDNORTHERNIRELAND": "GB",
}

// countryByName looks an English country name up with countries.ByName, trying the name
// keys of nameKeys in turn, and returns the alpha-2 code of the first it knows ("" if none).
func countryByName(s string) string {
	if !countryNameChars(s) {
		return ""
	}
	for _, key := range nameKeys(s) {
		if code, ok := nameFixes[key]; ok {
			return code
		}
		if c := countries.ByName(key); c != countries.Unknown {
			return c.Alpha2()
		}
	}
	return ""
}

// countryNameChars accepts letters, spaces and the punctuation of country names, with at
// least four letters: ByName drops every other character, so "Singapore123" or "S G" would
// otherwise pass as names, and codes have their own rules above.
func countryNameChars(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			n++
		case !strings.ContainsRune(" '’.,-()[]&", r):
			return false
		}
	}
	return n >= 4
}

// nameKeys lists the keys (upper-case letters only) under which a name is looked up, most
// literal first. ByName on its own cuts a name at its first "(", which turns the ISO names
// "Korea (the Democratic People's Republic of)" into South Korea and "Congo (the Democratic
// Republic of the)" into the Republic of the Congo. So the qualifier is kept, as written
// and moved in front ("the Democratic People's Republic of Korea"), each with and without
// "the"; the bare head ("Taiwan" of "Taiwan (Province of China)") is tried last, and only
// when no two countries' names contain it, so "Korea (…)" or "Congo, …" never fall back to
// one of two Koreas or Congos.
func nameKeys(s string) []string {
	words := nameWords(s)
	keys := []string{joinWords(words, false), joinWords(words, true)}
	head, qualifier, found := splitQualifier(s)
	if !found {
		return keys
	}
	inverted := append(nameWords(qualifier), nameWords(head)...)
	keys = append(keys, joinWords(inverted, false), joinWords(inverted, true))
	if h := joinWords(nameWords(head), true); !ambiguousName(h) {
		keys = append(keys, h)
	}
	return keys
}

func nameWords(s string) []string {
	return strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool { return !unicode.IsLetter(r) })
}

func joinWords(words []string, dropThe bool) string {
	var b strings.Builder
	for _, w := range words {
		if !dropThe || w != "THE" {
			b.WriteString(w)
		}
	}
	return b.String()
}

// splitQualifier splits "Korea (the Republic of)" or "Tanzania, United Republic of" into
// the head and its qualifier.
func splitQualifier(s string) (head, qualifier string, found bool) {
	if i := strings.IndexByte(s, '('); i > 0 {
		return s[:i], s[i:], true
	}
	if i := strings.LastIndexByte(s, ','); i > 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// ambiguousName reports whether key is part of the names of two countries or more
// (KOREA, CONGO, GUINEA, SUDAN, CHINA…), so that it cannot stand for one on its own.
func ambiguousName(key string) bool {
	n := 0
	for _, name := range isoCountries.names {
		if strings.Contains(name, key) {
			n++
		}
	}
	return n > 1 || key == ""
}
