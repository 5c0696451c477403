package kyc

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestFieldRules sets one field of the sample to a value and checks the answer: accepted
// (code ""), or exactly one problem with that code, at that field or at the field named.
// Rows marked "Ruby" are where a literal port of the published Ruby regex would differ.
func TestFieldRules(t *testing.T) {
	const ok = ""
	x, X := CodeInvalid, CodeMissing
	tests := []struct {
		path  string
		value any
		code  string
		at    string // the field the problem names, when not path
	}{
		// customerName: R-NAME50, optional.
		{"customerName", "MINGMING ZHOU", ok, ""},
		{"customerName", strings.Repeat("a", 50), ok, ""},
		{"customerName", strings.Repeat("a", 51), x, ""},
		{"customerName", "Zoë", x, ""}, // R-NAME50 is ASCII
		{"customerName", "O'Brien", x, ""},
		{"customerName", "", x, ""},       // optional: blank is checked, not skipped
		{"customerName", "ab\ncd", x, ""}, // Ruby: matches line by line
		{"customerName", nil, ok, ""},
		// customerFirstName, customerLastName: R-ANY191, required.
		{"customerFirstName", strings.Repeat("a", 191), ok, ""},
		{"customerFirstName", strings.Repeat("a", 192), x, ""},
		{"customerFirstName", strings.Repeat("é", 191), ok, ""}, // runes, not bytes
		{"customerFirstName", strings.Repeat("é", 192), x, ""},
		{"customerFirstName", "  Ming  ", ok, ""},
		{"customerFirstName", "Jean-Luc d'Artagnan", ok, ""},
		{"customerFirstName", "a\tb", x, ""},   // Ruby: accepted; a control character (COMPATIBILITY.md)
		{"customerFirstName", "ab\ncd", x, ""}, // Ruby: accepted
		{"customerFirstName", "ab\r\ncd", x, ""},
		{"customerFirstName", "ab\u2028cd", x, ""},
		{"customerFirstName", "ab\u0085cd", x, ""},
		{"customerFirstName", "ab\x00cd", x, ""},
		{"customerFirstName", "ab\x7fcd", x, ""},
		{"customerFirstName", "", X, ""},
		{"customerFirstName", "a" + strings.Repeat(" ", 1<<20), x, ""}, // Ruby: accepted; see maxText
		{"customerLastName", "周", ok, ""},
		{"customerLastName", " \t", X, ""},
		// customerNativeName: R-ANY191, optional.
		{"customerNativeName", "周明明", ok, ""},
		{"customerNativeName", strings.Repeat("周", 191), ok, ""},
		{"customerNativeName", strings.Repeat("周", 192), x, ""},
		{"customerNativeName", "", x, ""},
		// phoneNo: R-PHONE.
		{"phoneNo", "+65 6123 4567", ok, ""},
		{"phoneNo", "+86-138-0013-8000", ok, ""},
		{"phoneNo", "+1 (415) 555 0100", ok, ""},
		{"phoneNo", "0123 4567", x, ""},
		{"phoneNo", "+65 6123 4567 ext 2", x, ""},
		{"phoneNo", "+65 6123\n4567", x, ""},
		// address.street: R-ADDR-STREET-CPP.
		{"address.street", strings.Repeat("a", 180), ok, ""},
		{"address.street", strings.Repeat("a", 181), x, ""},
		{"address.street", "  1 Main St #02-01  ", ok, ""},
		{"address.street", "1 Main St\nFloor 2", x, ""},
		// address.city: R-ADDR-CITY-CPP.
		{"address.city", "Zürich", ok, ""},
		{"address.city", "São Paulo", ok, ""},
		{"address.city", "Saint-Étienne (Loire)", ok, ""},
		{"address.city", strings.Repeat("a", 100), ok, ""},
		{"address.city", strings.Repeat("a", 101), x, ""},
		{"address.city", "District 9", x, ""},
		{"address.city", "北京", x, ""},
		{"address.city", "Paris\nLyon", x, ""}, // Ruby: \s admits the newline
		// address.postalCode: R-POSTAL.
		{"address.postalCode", "10", ok, ""},
		{"address.postalCode", "1", x, ""},
		{"address.postalCode", "SW1A 1AA", ok, ""},
		{"address.postalCode", strings.Repeat("1", 20), ok, ""},
		{"address.postalCode", strings.Repeat("1", 21), x, ""},
		{"address.postalCode", "12#45", x, ""},
		// address.state: R-ADDR-STATE-CPP, look-ahead 1..15.
		{"address.state", strings.Repeat("a", 15), ok, ""},
		{"address.state", strings.Repeat("a", 16), x, ""},
		{"address.state", "N.S.W. (AU)", ok, ""},
		{"address.state", "Zoë", x, ""},
		{"address.state", "", x, ""},
		// Country codes: assigned ISO 3166-1 alpha-2, upper case.
		{"address.country", "SG", ok, ""},
		{"address.country", "sg", x, ""},
		{"address.country", "SGP", x, ""},
		{"address.country", "XK", x, ""},
		{"address.country", "UK", x, ""},
		{"address.country", "", X, ""},
		{"countryOfResidence", "GB", ok, ""},
		{"countryOfResidence", "AN", x, ""},
		{"countryOfResidence", "YU", x, ""},
		{"countryOfResidence", "Singapore", x, ""},
		{"registrationIdCountry", "SS", ok, ""},
		{"registrationIdCountry", "ZZ", x, ""},
		// dateOfBirth: R-DATE, real date, not after today in UTC+14 (testNow: 2026-05-21 there).
		{"dateOfBirth", "2024-02-29", ok, ""},
		{"dateOfBirth", "2023-02-29", x, ""},
		{"dateOfBirth", "1987-13-01", x, ""},
		{"dateOfBirth", "1987-7-30", x, ""},
		{"dateOfBirth", "30/07/1987", x, ""},
		{"dateOfBirth", "1987-07-30T00:00:00Z", x, ""},
		{"dateOfBirth", "2026-05-21", ok, ""},
		{"dateOfBirth", "2026-05-22", x, ""},
		// registrationIdExpiryDate: R-DATE, real date, past allowed.
		{"registrationIdExpiryDate", "2001-01-01", ok, ""},
		{"registrationIdExpiryDate", "2028-02-29", ok, ""},
		{"registrationIdExpiryDate", "2027-02-29", x, ""},
		{"registrationIdExpiryDate", "", x, ""},
		// email: R-EMAIL, at most 254 characters.
		{"email", "Zhou.Ming+kyc@Example.CO", ok, ""},
		{"email", "o'brien@mail.example.ie", ok, ""},
		{"email", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com", ok, ""},
		{"email", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com", x, ""},
		{"email", "zhou", x, ""},
		{"email", "zhou@localhost", x, ""},
		{"email", "zhou@example.c", x, ""},
		{"email", "zhou..ming@example.com", x, ""},
		{"email", "zhou@exampl\u212ae.com", x, ""}, // KELVIN SIGN folds to k under (?i)
		{"email", "zhou@example.com\nbcc@example.com", x, ""},
		// Enums: exact case.
		{"gender", "FEMALE", ok, ""},
		{"gender", "male", x, ""},
		{"registrationIdType", "identity_card", ok, ""},
		{"registrationIdType", "PASSPORT", x, ""},
		{"expectedAnnualTransactionAmount", "GT_30000", ok, ""},
		{"expectedAnnualTransactionAmount", "GT_20000", x, ""},
		{"expectedTransactionSize", "10001_TO_20000", ok, ""},
		{"expectedTransactionSize", "10001_TO_30000", x, ""},
		{"expectedTransactionFrequency", "AT_LEAST_ONCE_A_YEAR", ok, ""},
		{"expectedTransactionFrequency", "DAILY", x, ""},
		{"annualIncome", "GT_500000", ok, ""},
		{"annualIncome", "GT_50000", x, ""},
		{"totalWealth", "GT_10000000", ok, ""},
		{"totalWealth", "gt_10000000", x, ""},
		{"purposeOfAccount", "REMITTANCES", ok, ""},
		{"purposeOfAccount", "TREASURY MANAGEMENT", x, ""}, // business only
		// Open lists, default catalog.
		{"businessIndustry", "CHARITIES_AND_OTHER_NON_PROFI_ORGANISATIONS_OR_FOUNDATIONS", ok, ""},
		{"businessIndustry", "RESEARCH_AND_DEVELOPMENT", ok, ""},
		{"businessIndustry", "it_related", x, ""},
		{"businessIndustry", "IT__RELATED", x, ""},
		{"businessIndustry", "_IT", x, ""},
		{"businessIndustry", strings.Repeat("A", 100), ok, ""},
		{"businessIndustry", strings.Repeat("A", 101), x, ""},
		{"occupation", "SELF_EMPLOYED", ok, ""},
		{"occupation", "DATA_SCIENTIST_2", ok, ""},
		{"occupation", "Data Scientist", x, ""},
		// nationality: alpha-2, alpha-3 or English name.
		{"nationality", "sg", ok, ""},
		{"nationality", "SGP", ok, ""},
		{"nationality", "Singapore", ok, ""},
		{"nationality", " China ", ok, ""},
		{"nationality", "SINGAPOREAN", x, ""},
		{"nationality", "Kosovo", x, ""},
		{"nationality", "", X, ""},
		{"nationality", strings.Repeat("A", 192), x, ""},
		{"nationality", strings.Repeat("A", 1<<20), x, ""},
		{"nationality", "SG" + strings.Repeat(" ", 300), ok, ""},
		// registrationId: R-REGID.
		{"registrationId", "S1234567A", ok, ""},
		{"registrationId", "AB/12-3 (x)", ok, ""},
		{"registrationId", "abc", x, ""},
		{"registrationId", strings.Repeat("1", 35), ok, ""},
		{"registrationId", strings.Repeat("1", 36), x, ""},
		{"registrationId", "EK4290#532", x, ""},
		{"registrationId", "EK42900532\n", x, ""}, // Ruby's \z: refused there too
		// Document links: R-URL-CPP.
		{"identityDocuments.selfie", "https://example.com/a.png", ok, ""},
		{"identityDocuments.selfie", "example.com/a.png", ok, ""},
		{"identityDocuments.selfie", "HTTP://EXAMPLE.COM/A.PDF", ok, ""},
		{"identityDocuments.selfie", "http://10.0.0.1:8080/a.jpg", ok, ""},
		{"identityDocuments.selfie", "https://bücher.de/scan.pdf", ok, ""},
		{"identityDocuments.selfie", "ftp://example.com/a.png", x, ""},
		{"identityDocuments.selfie", "not a link", x, ""},
		{"identityDocuments.selfie", "", x, ""},
		{"identityDocuments.selfie", "https://example.com/" + strings.Repeat("a", 4076), ok, ""},
		{"identityDocuments.selfie", "https://example.com/" + strings.Repeat("a", 4077), x, ""},
		{"identityDocuments.proofOfAddress", "https://example.com/a.png\n", x, ""},
		{"identityDocuments.livenessSnapshot", "https://example", x, ""},
		{"sourceOfWealth.cashSavings.document", "file:///etc/passwd", x, ""},
		{"sourceOfWealth.others.document", "https://example.com/x.pdf", ok, ""},
		// sourceOfWealth.others.details, otherPurposeOfAccount: R-ANY255.
		{"sourceOfWealth.others.details", strings.Repeat("a", 255), ok, ""},
		{"sourceOfWealth.others.details", strings.Repeat("a", 256), x, ""},
		{"otherPurposeOfAccount", "Saving for a flat", ok, ""},
		{"otherPurposeOfAccount", strings.Repeat("a", 256), x, ""},
		// livenessResult: JSON boolean or R-BOOL.
		{"identityDocuments.livenessResult", false, ok, ""},
		{"identityDocuments.livenessResult", "True", ok, ""},
		{"identityDocuments.livenessResult", "0", ok, ""},
		{"identityDocuments.livenessResult", "yes", x, ""},
		{"identityDocuments.livenessResult", json.Number("1"), x, ""},
		{"identityDocuments.livenessResult", "", X, ""},
		// ipAddresses: at most 20 addresses, IPv4 or IPv6 without zone.
		{"ipAddresses", []any{"8.8.8.8", "2001:db8::1", "::ffff:10.0.0.1"}, ok, ""},
		{"ipAddresses", anys(20, "10.0.0.1"), ok, ""},
		{"ipAddresses", anys(21, "10.0.0.1"), x, ""},
		{"ipAddresses", []any{"8.8.8.8", "256.1.1.1"}, x, "ipAddresses[1]"},
		{"ipAddresses", []any{"fe80::1%eth0"}, x, "ipAddresses[0]"},
		{"ipAddresses", []any{" 8.8.8.8"}, x, "ipAddresses[0]"},
		{"ipAddresses", []any{"localhost"}, x, "ipAddresses[0]"},
		{"ipAddresses", []any{json.Number("8")}, x, "ipAddresses[0]"},
		{"ipAddresses", "8.8.8.8", x, ""},
	}
	for _, tt := range tests {
		doc := sample(t)
		set(doc, tt.path, tt.value)
		_, err := validate(t, doc)
		var want []FieldError
		if tt.code != ok {
			at := tt.path
			if tt.at != "" {
				at = tt.at
			}
			want = []FieldError{{Field: at, Code: tt.code}}
		}
		if diff := cmp.Diff(want, problems(t, err)); diff != "" {
			t.Errorf("%s = %.40q: mismatch (-want +got):\n%s", tt.path, tt.value, diff)
		}
	}
}

func anys(n int, s string) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestEnumMessage(t *testing.T) {
	tests := []struct {
		path, value, want string
	}{
		{"gender", "male", "Invalid gender `male`. Must be in [\"MALE\", \"FEMALE\"]"},
		{"purposeOfAccount", "x", "Invalid purposeOfAccount `x`. Must be in [\"INVESTMENT\", \"TRADING\", \"REMITTANCES\", \"OTHERS\"]"},
		{"gender", strings.Repeat("é", 150), "Invalid gender `" + strings.Repeat("é", 100) + "`. Must be in [\"MALE\", \"FEMALE\"]"},
	}
	for _, tt := range tests {
		doc := sample(t)
		set(doc, tt.path, tt.value)
		_, err := validate(t, doc)
		if got := AsError(err).Message; got != tt.want {
			t.Errorf("%s = %.20q: got %q, want %q", tt.path, tt.value, got, tt.want)
		}
	}
}

func TestToday(t *testing.T) {
	tests := []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 5, 20, 9, 59, 59, 0, time.UTC), "2026-05-20"},
		{time.Date(2026, 5, 20, 10, 0, 0, 0, time.UTC), "2026-05-21"},
		{time.Date(2026, 5, 20, 23, 0, 0, 0, time.FixedZone("UTC-10", -10*3600)), "2026-05-21"},
	}
	for _, tt := range tests {
		if got := todayInLatestZone(tt.now); got != tt.want {
			t.Errorf("today(%v) = %s, want %s", tt.now, got, tt.want)
		}
	}
}

// TestBirthDateTomorrow refuses a date of birth that is tomorrow in UTC+14, whatever the
// caller's clock zone, and accepts today there.
func TestBirthDateTomorrow(t *testing.T) {
	now := time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC) // 23:00 on 2026-05-20 in UTC+14
	for dob, want := range map[string][]FieldError{
		"2026-05-20": nil,
		"2026-05-21": {{Field: "dateOfBirth", Code: CodeInvalid}},
	} {
		doc := sample(t)
		set(doc, "dateOfBirth", dob)
		_, err := validateWith(t, DefaultCatalog(), doc, now)
		if diff := cmp.Diff(want, problems(t, err)); diff != "" {
			t.Errorf("dateOfBirth %s: mismatch (-want +got):\n%s", dob, diff)
		}
	}
}

// TestValidatePersonalNoPersonalData sends personal values that break their rules and checks
// that no message repeats them.
func TestValidatePersonalNoPersonalData(t *testing.T) {
	secrets := map[string]string{
		"customerName":          "Zoë Secretname",
		"customerFirstName":     strings.Repeat("Secretfirst", 20),
		"customerLastName":      "Secretlast\n",
		"customerNativeName":    strings.Repeat("秘密", 100),
		"email":                 "secret.person@@example.com",
		"registrationId":        "SECRET#ID#123",
		"phoneNo":               "+65 SECRETPHONE",
		"dateOfBirth":           "1999-02-30",
		"address.street":        strings.Repeat("Secret Street ", 20),
		"address.city":          "Secretcity 9",
		"address.postalCode":    "SECRET#POSTAL",
		"address.state":         "Secretstate Province",
		"nationality":           "Secretland",
		"otherPurposeOfAccount": strings.Repeat("secret purpose ", 20),
	}
	doc := sample(t)
	for path, value := range secrets {
		set(doc, path, value)
	}
	set(doc, "ipAddresses", []any{"10.11.12.1300"})
	_, err := validate(t, doc)
	e := AsError(err)
	if len(e.Details) != len(secrets)+1 {
		t.Errorf("got %d problems, want %d", len(e.Details), len(secrets)+1)
	}
	for _, d := range e.Details {
		for _, s := range append(mapValues(secrets), "10.11.12.1300") {
			if strings.Contains(d.Message, strings.TrimSpace(s)[:8]) {
				t.Errorf("message %q repeats the value sent", d.Message)
			}
		}
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
