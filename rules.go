package kyc

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openkyc/kyc/internal/schema"
)

// The published field rules are Ruby regexes (spec §3.8). They are translated for Go's RE2
// as follows:
//   - Ruby's ^ and $ are line anchors: Ruby accepts "Alice\nanything" for /^[a-zA-Z ]+$/,
//     because one line matches. We read the rules as meant for the whole value: Go's ^ and $
//     (without (?m)) anchor the whole text, like Ruby's \A and \z, and schema.Hidden refuses
//     line breaks and other control characters in every string before any rule runs.
//   - RE2 has no look-ahead: /^(?=.{1,N}$)X+$/ becomes "1 to N runes" plus the class X+.
//   - Ruby's \s is [ \t\r\n\f\v]; Go's \s lacks \v, so the class is written out (ws).
//   - %r{…}i becomes (?i).
//
// Counts are in characters (runes), as Ruby counts them in UTF-8 strings.
const ws = `[ \t\r\n\f\v]`

var (
	reName50      = regexp.MustCompile(`^[a-zA-Z0-9 ]+$`) // R-NAME50, after 1..50 runes
	reAny191      = regexp.MustCompile(`^` + ws + `*.{1,191}` + ws + `*$`)
	reAny255      = regexp.MustCompile(`^` + ws + `*.{1,255}` + ws + `*$`)
	rePhone       = regexp.MustCompile(`^\+?[1-9]\d{0,3}` + sep + `\(?\d{1,4}\)?` + sep + `\d{1,4}` + sep + `\d{1,4}` + sep + `\d{0,4}$`)
	reDate        = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	reRegID       = regexp.MustCompile(`^[a-zA-Z0-9/\-?:().,'+ ]{4,35}$`)
	reStreet      = regexp.MustCompile(`^` + ws + `*.{1,180}` + ws + `*$`)
	reCity        = regexp.MustCompile(`^[a-zA-ZÀ-ÿ'.,\- \t\r\n\f\v()]{1,100}$`)
	reState       = regexp.MustCompile(`^[a-zA-Z0-9/\-?:().,' +]+$`) // R-ADDR-STATE-CPP, after 1..15 runes
	rePostal      = regexp.MustCompile(`^[A-Za-z0-9\- ]{2,20}$`)
	reURL         = regexp.MustCompile(`(?i)^(https?://)?(([0-9]{1,3}(\.[0-9]{1,3}){3,5})|(([-\p{L}_0-9]{1,256}\.)+[-\p{L}_]{2,6}))(:[0-9]+)?([/?].*)?$`)
	reBizRegID    = regexp.MustCompile(`^[a-zA-Z0-9\- ]{4,35}$`)
	rePersonRegID = regexp.MustCompile(`^[a-zA-Z0-9]{4,20}$`)
	reSwift       = regexp.MustCompile(`^[a-zA-Z0-9\-?:().,' +]+$`) // R-SWIFT-*, after their rune counts
	reURLBiz      = regexp.MustCompile(`(?i)^(https?://)?(([0-9]{1,3}(\.[0-9]{1,3}){3,5})|(([-\p{L}0-9]{1,256}\.)+[-\p{L}]{2,6}))(:[0-9]+)?([/?].*)?$`)
	reTradingName = regexp.MustCompile(`^[\x20-\x3B\x3D\x3F-\x7E]{1,50}$`)
	reUpperSnake  = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$`)

	// R-EMAIL is %r{…}i. Its letter classes are spelt out in both cases rather than with
	// (?i), because Go's case folding would also let U+212A KELVIN SIGN and U+017F LONG S
	// into [a-z]; the rule means ASCII.
	reEmail = regexp.MustCompile("^[\\w!#$%&'*+/=?`{|}~^-]+(?:\\.[\\w!#$%&'*+/=?`{|}~^-]+)*@(?:[a-zA-Z0-9-]+\\.)+[a-zA-Z]{2,24}$")
)

// sep is R-PHONE's optional separator [\s\-]?, with Ruby's \s.
const sep = `[ \t\r\n\f\v\-]?`

// rule builds a schema rule from a check and the words that describe a valid value.
func rule(want string, check func(env *schema.Env, path, s string) string) schema.Rule {
	return schema.Rule{Check: check, Doc: want}
}

func invalid(path, want string) string {
	return "Invalid " + path + ". Must be " + want
}

// pattern builds a rule from a regex and, for the published look-aheads, a rune count
// (max 0: none).
func pattern(re *regexp.Regexp, min, max int, want string) schema.Rule {
	return rule(want, func(_ *schema.Env, path, s string) string {
		n := utf8.RuneCountInString(s)
		if max > 0 && (n < min || n > max) || !re.MatchString(s) {
			return invalid(path, want)
		}
		return ""
	})
}

var (
	ruleName50      = pattern(reName50, 1, 50, "1 to 50 letters, digits or spaces")
	ruleAny191      = pattern(reAny191, 0, 0, "1 to 191 characters")
	ruleAny255      = pattern(reAny255, 0, 0, "1 to 255 characters")
	rulePhone       = pattern(rePhone, 0, 0, "a phone number in international format with its country code, such as +65 6123 4567")
	ruleRegID       = pattern(reRegID, 0, 0, "4 to 35 letters, digits, spaces or / - ? : ( ) . , ' +")
	ruleBizRegID    = pattern(reBizRegID, 0, 0, "4 to 35 letters, digits, spaces or hyphens")
	rulePersonRegID = pattern(rePersonRegID, 0, 0, "4 to 20 letters or digits")
	ruleStreet      = pattern(reStreet, 0, 0, "1 to 180 characters")
	ruleCity        = pattern(reCity, 0, 0, "1 to 100 letters (accented Latin letters included), spaces or ' . , - ( )")
	ruleState       = pattern(reState, 1, 15, "1 to 15 letters, digits, spaces or / - ? : ( ) . , ' +")
	rulePostal      = pattern(rePostal, 0, 0, "2 to 20 letters, digits, spaces or hyphens")
	ruleFileLink    = pattern(reURL, 0, 0, "a file link (URL), such as https://example.com/passport.jpg")
	ruleBizLink     = pattern(reURLBiz, 0, 0, "a file link (URL), such as https://example.com/certificate.pdf")
	ruleWebsite     = pattern(reURLBiz, 0, 0, "a URL, such as https://example.com")
	ruleSwiftStreet = pattern(reSwift, 1, 180, "1 to 180 letters, digits, spaces or - ? : ( ) . , ' +")
	ruleSwiftCity   = pattern(reSwift, 1, 20, "1 to 20 letters, digits, spaces or - ? : ( ) . , ' +")
	ruleSwiftState  = pattern(reSwift, 1, 15, "1 to 15 letters, digits, spaces or - ? : ( ) . , ' +")
	rulePlaceOfBiz  = pattern(reSwift, 1, 255, "1 to 255 letters, digits, spaces or - ? : ( ) . , ' +")
	ruleTradingName = pattern(reTradingName, 0, 0, "1 to 50 printable ASCII characters other than < and >")
	ruleBirthDate   = dateRule(true)
	ruleDate        = dateRule(false)
	ruleEmail       = rule("a valid email address of at most 254 characters", checkEmail)
	ruleCountry     = rule("an assigned ISO 3166-1 alpha-2 country code in upper case, such as SG", checkCountry)
	ruleNationality = rule("an ISO 3166-1 alpha-2 or alpha-3 code or an English country name, any case", checkNationality)
	ruleAnyCountry  = rule("an ISO 3166-1 alpha-2 or alpha-3 code or an English country name, any case; stored as the alpha-2 code", checkAnyCountry)
	ruleIPAddress   = rule("an IPv4 or IPv6 address without a zone", checkIPAddress)
)

// maxEmail is the longest address SMTP can carry (RFC 5321 path limit less the brackets).
const maxEmail = 254

func checkEmail(_ *schema.Env, path, s string) string {
	if len(s) > maxEmail || !reEmail.MatchString(s) {
		return invalid(path, "a valid email address of at most 254 characters")
	}
	return ""
}

// checkCountry requires an officially assigned ISO 3166-1 alpha-2 code in upper case; that
// implies the published R-CC2 /^[A-Z]{2}$/.
func checkCountry(_ *schema.Env, path, s string) string {
	if !CountryAssigned(s) {
		return invalid(path, "an assigned ISO 3166-1 alpha-2 country code in upper case, such as SG")
	}
	return ""
}

// nationalityMessage is the documented error for a nationality that is not a country.
const nationalityMessage = "Invalid nationality. Please refer to the following document for the accepted values: https://www.iban.com/country-codes"

// checkNationality is R-ANY191 and a country: a country (at most maxCountryName once
// trimmed) always matches R-ANY191. The documented message names the top-level field; a
// director's nationality is named by its path.
func checkNationality(_ *schema.Env, path, s string) string {
	if _, ok := NationalityCode(s); !ok {
		if path == "nationality" {
			return nationalityMessage
		}
		return "Invalid " + path + ". Please refer to the following document for the accepted values: https://www.iban.com/country-codes"
	}
	return ""
}

// checkAnyCountry is the business address's country: "2 or 3 digit ISO country code or
// ISO short name", stored as alpha-2 (see alpha2).
func checkAnyCountry(_ *schema.Env, path, s string) string {
	if _, ok := NationalityCode(s); !ok {
		return invalid(path, "an ISO 3166-1 alpha-2 or alpha-3 code or an English country name, such as SG, SGP or Singapore")
	}
	return ""
}

// alpha2 stores a country that checkAnyCountry accepted as its alpha-2 code, as the
// business schemas say ("Will be standardized to 2 digit ISO country code before storing").
func alpha2(s string) string {
	code, _ := NationalityCode(s)
	return code
}

// date is R-DATE plus a real calendar date; a date of birth must also not be in the future.
func dateRule(notFuture bool) schema.Rule {
	want := "a real calendar date in the format YYYY-MM-DD"
	if notFuture {
		want += ", not in the future"
	}
	r := rule(want, func(env *schema.Env, path, s string) string {
		switch {
		case !reDate.MatchString(s):
			return invalid(path, "a date in the format YYYY-MM-DD")
		case !calendarDate(s):
			return invalid(path, "a real calendar date in the format YYYY-MM-DD")
		case notFuture && s > env.Today: // same-length ISO dates compare as strings
			return invalid(path, "a date that is not in the future")
		}
		return ""
	})
	r.Format = "date"
	return r
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

func checkIPAddress(_ *schema.Env, path, s string) string {
	addr, err := netip.ParseAddr(s)
	if err != nil || addr.Zone() != "" {
		return invalid(path, "an IPv4 or IPv6 address without a zone")
	}
	return ""
}

// enum accepts exactly one of values, case included, with the documented message.
func enum(values ...string) schema.Rule {
	return schema.Rule{Enum: values, Check: func(_ *schema.Env, path, s string) string {
		if slices.Contains(values, s) {
			return ""
		}
		return enumMessage(path, s, values)
	}}
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

// echo prepares a value that a message quotes (see schema.Echo).
func echo(s string) string { return schema.Echo(s) }

// hidden reports whether s holds a character no value may hold (see schema.Hidden): line
// breaks, control and formatting characters.
func hidden(s string) bool { return strings.ContainsFunc(s, schema.Hidden) }
