package kyc

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The published field rules are Ruby regexes (spec §3.8). They are translated for Go's RE2
// as follows:
//   - Ruby's ^ and $ are line anchors: Ruby accepts "Alice\nanything" for /^[a-zA-Z ]+$/,
//     because one line matches. We read the rules as meant for the whole value: Go's ^ and $
//     (without (?m)) anchor the whole text, like Ruby's \A and \z, and controlChar refuses
//     line breaks and other control characters in every string before any rule runs.
//   - RE2 has no look-ahead: /^(?=.{1,N}$)X+$/ becomes "1 to N runes" plus the class X+.
//   - Ruby's \s is [ \t\r\n\f\v]; Go's \s lacks \v, so the class is written out (ws).
//   - %r{…}i becomes (?i).
//
// Counts are in characters (runes), as Ruby counts them in UTF-8 strings.
const ws = `[ \t\r\n\f\v]`

var (
	reName50     = regexp.MustCompile(`^[a-zA-Z0-9 ]+$`) // R-NAME50, after 1..50 runes
	reAny191     = regexp.MustCompile(`^` + ws + `*.{1,191}` + ws + `*$`)
	reAny255     = regexp.MustCompile(`^` + ws + `*.{1,255}` + ws + `*$`)
	rePhone      = regexp.MustCompile(`^\+?[1-9]\d{0,3}` + sep + `\(?\d{1,4}\)?` + sep + `\d{1,4}` + sep + `\d{1,4}` + sep + `\d{0,4}$`)
	reDate       = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	reRegID      = regexp.MustCompile(`^[a-zA-Z0-9/\-?:().,'+ ]{4,35}$`)
	reStreet     = regexp.MustCompile(`^` + ws + `*.{1,180}` + ws + `*$`)
	reCity       = regexp.MustCompile(`^[a-zA-ZÀ-ÿ'.,\- \t\r\n\f\v()]{1,100}$`)
	reState      = regexp.MustCompile(`^[a-zA-Z0-9/\-?:().,' +]+$`) // R-ADDR-STATE-CPP, after 1..15 runes
	rePostal     = regexp.MustCompile(`^[A-Za-z0-9\- ]{2,20}$`)
	reURL        = regexp.MustCompile(`(?i)^(https?://)?(([0-9]{1,3}(\.[0-9]{1,3}){3,5})|(([-\p{L}_0-9]{1,256}\.)+[-\p{L}_]{2,6}))(:[0-9]+)?([/?].*)?$`)
	reBool       = regexp.MustCompile(`(?i)^(true|false|1|0)$`)
	reUpperSnake = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$`)

	// R-EMAIL is %r{…}i. Its letter classes are spelt out in both cases rather than with
	// (?i), because Go's case folding would also let U+212A KELVIN SIGN and U+017F LONG S
	// into [a-z]; the rule means ASCII.
	reEmail = regexp.MustCompile("^[\\w!#$%&'*+/=?`{|}~^-]+(?:\\.[\\w!#$%&'*+/=?`{|}~^-]+)*@(?:[a-zA-Z0-9-]+\\.)+[a-zA-Z]{2,24}$")
)

// sep is R-PHONE's optional separator [\s\-]?, with Ruby's \s.
const sep = `[ \t\r\n\f\v\-]?`

// rule checks one string value that has passed the type and control-character checks. It
// returns the problem's message, or "" when the value is fine. Messages never repeat a
// value that may be personal data.
type rule func(v *validator, path, s string) string

// controlChar reports whether s holds a line break or another control character: U+0000 to
// U+001F except tab, U+007F, U+0085 (next line), U+2028 and U+2029 (line and paragraph
// separators). Refusing them is our reading of Ruby's line anchors (see above): a value
// that would only match line by line is not accepted.
func controlChar(s string) bool {
	return strings.ContainsFunc(s, isControl)
}

func isControl(r rune) bool {
	return r < 0x20 && r != '\t' || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029
}

func invalid(path, want string) string {
	return "Invalid " + path + ". Must be " + want
}

// maxText bounds any value a regex is run on. The published rules bound every value except
// a link's path and the white space around the free-text rules; RE2 is linear in the input
// but also in the regex's states, which the counted repetitions make numerous: R-ANY191
// takes seconds over a megabyte of spaces. Nothing legitimate comes near this size.
const maxText = 4096

// pattern builds a rule from a regex and, for the published look-aheads, a rune count
// (max 0: none).
func pattern(re *regexp.Regexp, min, max int, want string) rule {
	return func(_ *validator, path, s string) string {
		n := utf8.RuneCountInString(s)
		if len(s) > maxText || max > 0 && (n < min || n > max) || !re.MatchString(s) {
			return invalid(path, want)
		}
		return ""
	}
}

var (
	ruleName50    = pattern(reName50, 1, 50, "1 to 50 letters, digits or spaces")
	ruleAny191    = pattern(reAny191, 0, 0, "1 to 191 characters")
	ruleAny255    = pattern(reAny255, 0, 0, "1 to 255 characters")
	rulePhone     = pattern(rePhone, 0, 0, "a phone number in international format with its country code, such as +65 6123 4567")
	ruleRegID     = pattern(reRegID, 0, 0, "4 to 35 letters, digits, spaces or / - ? : ( ) . , ' +")
	ruleStreet    = pattern(reStreet, 0, 0, "1 to 180 characters")
	ruleCity      = pattern(reCity, 0, 0, "1 to 100 letters (accented Latin letters included), spaces or ' . , - ( )")
	ruleState     = pattern(reState, 1, 15, "1 to 15 letters, digits, spaces or / - ? : ( ) . , ' +")
	rulePostal    = pattern(rePostal, 0, 0, "2 to 20 letters, digits, spaces or hyphens")
	ruleFileLink  = pattern(reURL, 0, 0, "a file link (URL), such as https://example.com/passport.jpg")
	ruleBirthDate = dateRule(true)
	ruleDate      = dateRule(false)
)

// maxEmail is the longest address SMTP can carry (RFC 5321 path limit less the brackets).
const maxEmail = 254

func ruleEmail(_ *validator, path, s string) string {
	if len(s) > maxEmail || !reEmail.MatchString(s) {
		return invalid(path, "a valid email address of at most 254 characters")
	}
	return ""
}

// country requires an officially assigned ISO 3166-1 alpha-2 code in upper case; that
// implies the published R-CC2 /^[A-Z]{2}$/.
func ruleCountry(_ *validator, path, s string) string {
	if !CountryAssigned(s) {
		return invalid(path, "an assigned ISO 3166-1 alpha-2 country code in upper case, such as SG")
	}
	return ""
}

// nationalityMessage is the documented error for a nationality that is not a country.
const nationalityMessage = "Invalid nationality. Please refer to the following document for the accepted values: https://www.iban.com/country-codes"

// nationality is R-ANY191 and a country: a country (at most maxCountryName once trimmed)
// always matches R-ANY191.
func ruleNationality(_ *validator, _, s string) string {
	if _, ok := NationalityCode(s); !ok {
		return nationalityMessage
	}
	return ""
}

// date is R-DATE plus a real calendar date; a date of birth must also not be in the future.
func dateRule(notFuture bool) rule {
	return func(v *validator, path, s string) string {
		switch {
		case !reDate.MatchString(s):
			return invalid(path, "a date in the format YYYY-MM-DD")
		case !calendarDate(s):
			return invalid(path, "a real calendar date in the format YYYY-MM-DD")
		case notFuture && s > v.today: // same-length ISO dates compare as strings
			return invalid(path, "a date that is not in the future")
		}
		return ""
	}
}

func calendarDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// latestZone is UTC+14 (Line Islands), the first time zone to reach a new day: a date of
// birth is in the future only when it is after today there, so nobody born "today"
// anywhere on Earth is refused.
var latestZone = time.FixedZone("UTC+14", 14*60*60)

func todayInLatestZone(now time.Time) string {
	return now.In(latestZone).Format(time.DateOnly)
}

func ruleIPAddress(_ *validator, path, s string) string {
	addr, err := netip.ParseAddr(s)
	if err != nil || addr.Zone() != "" {
		return invalid(path, "an IPv4 or IPv6 address without a zone")
	}
	return ""
}

// enum accepts exactly one of values, case included, with the documented message.
func enum(values ...string) rule {
	return func(_ *validator, path, s string) string {
		for _, want := range values {
			if s == want {
				return ""
			}
		}
		return enumMessage(path, s, values)
	}
}

// enumMessage is the documented format:
// Invalid monthlyTransactionVolume `1`. Must be in ["0_TO_100000", "100001_TO_500000"].
func enumMessage(path, s string, values []string) string {
	return fmt.Sprintf("Invalid %s `%s`. Must be in %s", path, echo(s), quoteList(values))
}

func quoteList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = strconv.Quote(v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// maxEcho bounds what an error message repeats of a value it quotes.
const maxEcho = 100

// echo prepares a value that a message quotes (enum values, unknown field names): cut to
// maxEcho runes, control characters replaced, so a message stays one short line.
func echo(s string) string {
	var b strings.Builder
	for i, r := range []rune(s) {
		if i == maxEcho {
			break
		}
		if isControl(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

// The closed lists of spec §3.2, complete and matched exactly.
var (
	ruleGender             = enum("MALE", "FEMALE")
	ruleRegistrationIDType = enum("passport", "identity_card")
	ruleAnnualAmount       = enum("0_TO_1000", "1001_TO_5000", "5001_TO_10000", "10001_TO_30000", "GT_30000")
	ruleTransactionSize    = enum("0_TO_1000", "1001_TO_5000", "5001_TO_10000", "10001_TO_20000", "GT_20000")
	ruleFrequency          = enum("AT_LEAST_ONCE_EVERY_2_WEEKS", "AT_LEAST_ONCE_A_MONTH", "AT_LEAST_ONCE_EVERY_6_MONTHS", "AT_LEAST_ONCE_A_YEAR")
	ruleAnnualIncome       = enum("0_TO_30000", "30001_TO_50000", "50001_TO_100000", "100001_TO_500000", "GT_500000")
	ruleTotalWealth        = enum("0_TO_500000", "500001_TO_2000000", "2000001_TO_5000000", "5000001_TO_10000000", "GT_10000000")
	rulePurpose            = enum("INVESTMENT", "TRADING", "REMITTANCES", purposeOthers)
	rulePersonalOnly       = enum(RegistrationPersonal)
)

const purposeOthers = "OTHERS"

// The open lists (occupation, businessIndustry) are checked against the caller's catalog.
func ruleOccupation(v *validator, path, s string) string { return v.cat.occupation.check(path, s) }
func ruleIndustry(v *validator, path, s string) string   { return v.cat.businessIndustry.check(path, s) }

// fieldKind is the JSON type a field holds.
type fieldKind int

const (
	kindString fieldKind = iota
	kindObject
	kindList // array of strings
	kindFlag // boolean, or one of the R-BOOL strings
)

// field is one member of the personal CP+ schema.
type field struct {
	name     string
	kind     fieldKind
	required bool
	when     func(doc map[string]any) bool // required when this holds (conditional rules)
	rule     rule                          // kindString, and each entry of a kindList
	max      int                           // kindList: most entries
	fields   []field                       // kindObject: members, in the order problems are listed
	refused  map[string]string             // kindObject: names from another schema, with their message
}

func requiredString(name string, r rule) field { return field{name: name, rule: r, required: true} }
func optionalString(name string, r rule) field { return field{name: name, rule: r} }

func requiredWhen(name string, r rule, when func(map[string]any) bool) field {
	return field{name: name, rule: r, when: when}
}

func group(name string, req bool, fields ...field) field {
	return field{name: name, kind: kindObject, required: req, fields: fields}
}

// sentAs holds when the document's top-level field name is exactly value.
func sentAs(name, value string) func(map[string]any) bool {
	return func(doc map[string]any) bool { return doc[name] == value }
}

// personalSchema is the personal CP+ create schema: the top-level fields in the order of the
// spec's §3.2 table, nested ones in the order of theirs (§3.3 to §3.5).
var personalSchema = group("", true,
	optionalString("customerName", ruleName50),
	requiredString("customerFirstName", ruleAny191), // the seed's 1..191, not the later SWIFT 50 (DESIGN.md)
	requiredString("customerLastName", ruleAny191),
	optionalString("customerNativeName", ruleAny191),
	optionalString("phoneNo", rulePhone),
	group("address", true,
		requiredString("street", ruleStreet),
		requiredString("city", ruleCity),
		optionalString("postalCode", rulePostal),
		optionalString("state", ruleState),
		requiredString("country", ruleCountry),
	),
	requiredString("countryOfResidence", ruleCountry),
	requiredString("dateOfBirth", ruleBirthDate),
	requiredString("email", ruleEmail),
	requiredString("gender", ruleGender),
	requiredString("nationality", ruleNationality),
	requiredString("registrationId", ruleRegID),
	requiredString("registrationType", rulePersonalOnly), // business and others are refused before
	requiredString("registrationIdCountry", ruleCountry),
	requiredString("registrationIdType", ruleRegistrationIDType),
	optionalString("registrationIdExpiryDate", ruleDate), // a past date is allowed: a fact, not a rule
	requiredString("businessIndustry", ruleIndustry),
	requiredString("occupation", ruleOccupation),
	requiredString("expectedAnnualTransactionAmount", ruleAnnualAmount),
	requiredString("expectedTransactionSize", ruleTransactionSize),
	requiredString("expectedTransactionFrequency", ruleFrequency),
	requiredString("annualIncome", ruleAnnualIncome),
	group("identityDocuments", true,
		optionalString("selfie", ruleFileLink),
		requiredString("proofOfAddress", ruleFileLink),
		requiredWhen("passport", ruleFileLink, sentAs("registrationIdType", "passport")),
		requiredWhen("idFront", ruleFileLink, sentAs("registrationIdType", "identity_card")),
		requiredWhen("idBack", ruleFileLink, sentAs("registrationIdType", "identity_card")),
		requiredString("livenessSnapshot", ruleFileLink),
		field{name: "livenessResult", kind: kindFlag, required: true},
	),
	requiredString("totalWealth", ruleTotalWealth),
	sourceOfWealthField,
	field{name: "ipAddresses", kind: kindList, required: true, rule: ruleIPAddress, max: 20},
	requiredString("purposeOfAccount", rulePurpose),
	requiredWhen("otherPurposeOfAccount", ruleAny255, sentAs("purposeOfAccount", purposeOthers)), // format unpublished
)

// sourceOfWealthField: sourceOfWealth is optional; each source sent needs its document, and
// "others" its details too.
var sourceOfWealthField = func() field {
	f := group("sourceOfWealth", false,
		wealthField("businessOwnership"), wealthField("employmentIncome"), wealthField("propertyOwnership"),
		wealthField("investmentReturns"), wealthField("lotteryWinnings"), wealthField("inheritanceGifts"),
		wealthField("cashSavings"),
		group("others", false, requiredString("details", ruleAny255), requiredString("document", ruleFileLink)),
	)
	f.refused = map[string]string{}
	for _, name := range businessWealth {
		// The limit-update endpoint's published wording for the same mistake (which prints
		// "sourceOfwealth"), with the field spelt as it is.
		f.refused[name] = "Invalid sourceOfWealth `" + name + "` for Personal customer profile."
	}
	return f
}()

func wealthField(name string) field {
	return group(name, false, requiredString("document", ruleFileLink))
}

// businessWealth are the sources of wealth of the business schema.
var businessWealth = []string{
	"loanFromParentCompany", "loanFromDirectorsShareholders", "investorFunds", "businessLoans",
	"businessRevenue", "customerFundsForInvestment", "arbitrageTrading",
}
