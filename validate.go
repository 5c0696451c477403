package kyc

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// DecodePersonal reads a request body as a personal CP+: DecodeObject, then
// ValidatePersonal.
func (c *Catalog) DecodePersonal(body []byte, now time.Time) (*Personal, error) {
	doc, err := DecodeObject(body)
	if err != nil {
		return nil, err
	}
	return c.ValidatePersonal(doc, now)
}

// ValidatePersonal checks a decoded document against every rule of a personal CP+ and
// returns the typed attributes, or an *Error listing every problem found, in the field
// order of the schema: the top-level fields in the order of the published table, nested
// fields in theirs, and unknown fields after the known ones of the same object, sorted.
// now is the clock, for the date of birth.
//
// registrationType comes first: a business profile, or a type that is neither, is refused
// with that one problem, since the rest of the document cannot be read against a schema.
// When it is missing, it is reported in its place and the document is checked as the only
// kind we serve, personal.
func (c *Catalog) ValidatePersonal(doc map[string]any, now time.Time) (*Personal, error) {
	if p, refused := refuseRegistrationType(doc["registrationType"]); refused {
		return nil, Validation([]FieldError{p})
	}
	v := &validator{cat: c, doc: doc, today: todayInLatestZone(now)}
	attrs := v.object("", doc, personalSchema)
	if len(v.problems) > 0 {
		return nil, Validation(v.problems)
	}
	return toPersonal(attrs)
}

// businessNotYet refuses business profiles until their schema is served.
const businessNotYet = "registrationType business is not supported yet: only personal profiles can be created (business profiles will come in a later release)"

func refuseRegistrationType(val any) (FieldError, bool) {
	const name = "registrationType"
	s, _ := val.(string)
	switch {
	case val == nil || blank(val) || s == RegistrationPersonal:
		return FieldError{}, false
	case s == "business":
		return Invalid(name, businessNotYet), true
	}
	return Invalid(name, "registrationType must be either business or personal"), true
}

// toPersonal types the validated attributes. They hold only known fields, with their JSON
// types checked, so the round trip cannot fail on their account.
func toPersonal(attrs map[string]any) (*Personal, error) {
	data, err := json.Marshal(attrs)
	if err != nil {
		return nil, err
	}
	var p Personal
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// RegistrationKey normalises a registrationId for the uniqueness rule: trimmed,
// upper-cased, inner spaces removed, so "s1234567a" and "S 1234567 A" are one person.
func RegistrationKey(id string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(id), " ", ""))
}

// validator walks one document, collecting every problem and the normalised attributes.
type validator struct {
	cat      *Catalog
	doc      map[string]any // the whole document, for conditional rules
	today    string         // YYYY-MM-DD in the latest time zone
	problems []FieldError
}

func (v *validator) add(p FieldError) { v.problems = append(v.problems, p) }

// object checks the members of obj against f.fields, then reports the members f does not
// know. It returns the known members that are present, normalised.
func (v *validator) object(path string, obj map[string]any, f field) map[string]any {
	out := map[string]any{}
	for _, m := range f.fields {
		if val, ok := v.member(joinPath(path, m.name), obj[m.name], m); ok {
			out[m.name] = val
		}
	}
	v.unknown(path, obj, f)
	return out
}

// member checks one field in the documented order: presence, JSON type, then its rule.
// JSON null counts as absent, and so does a blank string where a required string belongs.
func (v *validator) member(path string, val any, f field) (any, bool) {
	required := f.required || f.when != nil && f.when(v.doc)
	scalar := f.kind == kindString || f.kind == kindFlag
	if val == nil || required && scalar && blank(val) {
		if required {
			v.add(Missing(path))
		}
		return nil, false
	}
	switch f.kind {
	case kindObject:
		return v.nested(path, val, f)
	case kindList:
		return v.list(path, val, f)
	case kindFlag:
		return v.flag(path, val)
	}
	s, ok := v.text(path, val, f.rule)
	return s, ok
}

func blank(val any) bool {
	s, ok := val.(string)
	return ok && strings.TrimSpace(s) == ""
}

func (v *validator) nested(path string, val any, f field) (any, bool) {
	obj, ok := val.(map[string]any)
	if !ok {
		v.add(Invalid(path, "%s must be an object", path))
		return nil, false
	}
	return v.object(path, obj, f), true
}

func (v *validator) text(path string, val any, r rule) (string, bool) {
	s, ok := val.(string)
	var msg string
	switch {
	case !ok:
		msg = path + " must be a string"
	case controlChar(s):
		msg = path + " must not contain line breaks or control characters"
	default:
		msg = r(v, path, s)
	}
	if msg != "" {
		v.add(Invalid(path, "%s", msg))
		return "", false
	}
	return s, true
}

// list checks an array of strings. Past f.max entries only the count is reported, so a
// long array cannot flood the answer.
func (v *validator) list(path string, val any, f field) (any, bool) {
	items, ok := val.([]any)
	if !ok {
		v.add(Invalid(path, "%s must be an array of strings", path))
		return nil, false
	}
	if len(items) > f.max {
		v.add(Invalid(path, "%s must have at most %d entries", path, f.max))
		return nil, false
	}
	out := make([]string, 0, len(items))
	for i, item := range items {
		if s, ok := v.text(indexPath(path, i), item, f.rule); ok {
			out = append(out, s)
		}
	}
	return out, len(out) == len(items)
}

// flag reads a boolean sent as JSON true/false or as one of the published tokens
// true/false/1/0 in any case (R-BOOL).
func (v *validator) flag(path string, val any) (any, bool) {
	switch b := val.(type) {
	case bool:
		return b, true
	case string:
		if reBool.MatchString(b) {
			return b == "1" || strings.EqualFold(b, "true"), true
		}
		v.add(Invalid(path, "%s", invalid(path, "true or false")))
	default:
		v.add(Invalid(path, "%s must be a boolean", path))
	}
	return nil, false
}

// unknown reports the members of obj that f does not know, sorted by name. A misspelt
// field is an error rather than silently dropped: dropping "phoneNumber" would store a
// profile without the phone number its sender believes it has.
func (v *validator) unknown(path string, obj map[string]any, f field) {
	var names []string
	for name := range obj {
		if !slices.ContainsFunc(f.fields, func(m field) bool { return m.name == name }) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		at := joinPath(path, name)
		if msg, ok := f.refused[name]; ok {
			v.add(Invalid(at, "%s", msg))
			continue
		}
		v.add(Invalid(at, "%s", unknownMessage(name, f.fields)))
	}
}

// unknownMessage names the unknown field and, when one is close, the known field of the
// same object it was probably meant to be.
func unknownMessage(name string, known []field) string {
	msg := "Unknown field `" + echo(name) + "`."
	if near, ok := nearest(name, known); ok {
		msg += " Did you mean `" + near + "`?"
	}
	return msg
}

// nearest finds the known name closest to name by edit distance, the first in schema order
// on a tie. It suggests within 3 edits, or within half the length of a longer name: a fixed
// 3 would miss phoneNumber → phoneNo (5 edits), the misspelling this rule exists for.
func nearest(name string, known []field) (string, bool) {
	if len(name) > maxEcho {
		return "", false
	}
	best, bestDist := "", -1
	for _, m := range known {
		if d := editDistance(name, m.name); bestDist < 0 || d < bestDist {
			best, bestDist = m.name, d
		}
	}
	ok := bestDist >= 0 && (bestDist <= 3 || 2*bestDist <= len(name))
	return best, ok
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// ValidRegistrationID reports whether id passes the registrationId rule (R-REGID), for
// places that take one outside a profile, such as filter[registration_id].
func ValidRegistrationID(id string) bool {
	return reRegID.MatchString(id)
}
