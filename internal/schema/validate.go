package schema

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is one thing wrong with a document, at a JSON path (`directors[1].dateOfBirth`).
type Problem struct {
	Path    string
	Message string
	Missing bool // a required member is absent, null or blank (XFE15); otherwise invalid (XFE12)
}

// MaxProblems bounds the problems a validation lists. A hostile body of a hundred thousand
// unknown members would otherwise cost a message (and an edit-distance search) each and
// an answer of megabytes; past the bound, problems are only counted.
const MaxProblems = 100

// Result is the outcome of a validation: the known members that are present, typed and
// normalised (strings, bools, []any of strings, map[string]any, []any of objects), and
// the problems found, in schema order, at most MaxProblems of them.
type Result struct {
	Value    map[string]any
	Problems []Problem
	Omitted  int // problems found beyond MaxProblems
}

// OK reports whether the document passed every rule.
func (r *Result) OK() bool { return len(r.Problems) == 0 }

// Validate checks doc against the members of root. Problems come in the order of the
// schema: a member's own problems before the next member's, unknown members after the
// known ones of the same object, sorted by name.
func Validate(root *Field, doc map[string]any, env *Env) *Result {
	v := &validator{env: env}
	out := v.object("", Scope{doc}, doc, root)
	return &Result{Value: out, Problems: v.problems, Omitted: v.omitted}
}

type validator struct {
	env      *Env
	problems []Problem
	omitted  int
}

func (v *validator) full() bool { return len(v.problems) >= MaxProblems }

func (v *validator) add(p Problem) {
	if v.full() {
		v.omitted++
		return
	}
	v.problems = append(v.problems, p)
}

func (v *validator) invalid(path, msg string) { v.add(Problem{Path: path, Message: msg}) }

// object checks the members of obj against f.Fields, then reports the members f does not
// know. scope ends with obj. It returns the known members that are present.
func (v *validator) object(path string, scope Scope, obj map[string]any, f *Field) map[string]any {
	out := map[string]any{}
	for i := range f.Fields {
		m := &f.Fields[i]
		if val, ok := v.member(join(path, m.Name), scope, obj[m.Name], m); ok {
			out[m.Name] = val
		}
	}
	v.unknown(path, obj, f)
	return out
}

// member checks one field in the documented order: presence, JSON type, then its rule.
// JSON null counts as absent, and so does a blank string where a required string belongs.
func (v *validator) member(path string, scope Scope, val any, f *Field) (any, bool) {
	required := f.Required || f.When != nil && f.When.Holds(scope)
	scalar := f.Type == String || f.Type == Bool
	if val == nil || required && scalar && blank(val) {
		if required {
			v.add(Problem{Path: path, Message: path + " is missing", Missing: true})
		}
		return nil, false
	}
	switch f.Type {
	case Object:
		return v.nested(path, scope, val, f)
	case Strings:
		return v.strings(path, val, f)
	case Objects:
		return v.objects(path, scope, val, f)
	case Bool:
		return v.flag(path, val)
	}
	return v.text(path, val, f)
}

func blank(val any) bool {
	s, ok := val.(string)
	return ok && strings.TrimSpace(s) == ""
}

func (v *validator) nested(path string, scope Scope, val any, f *Field) (any, bool) {
	obj, ok := val.(map[string]any)
	if !ok {
		v.invalid(path, path+" must be an object")
		return nil, false
	}
	return v.object(path, append(scope[:len(scope):len(scope)], obj), obj, f), true
}

func (v *validator) text(path string, val any, f *Field) (any, bool) {
	s, ok := val.(string)
	var msg string
	switch {
	case !ok:
		msg = path + " must be a string"
	case len(s) > MaxText:
		msg = path + " must be at most " + strconv.Itoa(MaxText) + " bytes"
	case !utf8.ValidString(s):
		msg = path + " must be valid UTF-8"
	case strings.ContainsFunc(s, Hidden):
		msg = path + " must not contain line breaks, control, formatting (bidirectional or zero-width) characters"
	default:
		msg = f.Rule.Check(v.env, path, s)
	}
	if msg != "" {
		v.invalid(path, msg)
		return nil, false
	}
	if f.Normalize != nil {
		return f.Normalize(s), true
	}
	return s, true
}

// MaxText bounds any value a rule is run on. Every published rule bounds its field far
// below it; RE2 is linear in the input but also in the regex's states, which counted
// repetitions make numerous: R-ANY191 takes seconds over a megabyte of spaces.
const MaxText = 4096

// Hidden reports a character that must never be in a value: line breaks, tabs and the
// other control characters (C0, DEL, C1), and the formatting characters of Unicode category
// Cf: bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), zero-width
// spaces and joiners (U+200B–U+200D, U+FEFF), soft hyphens. They make a name look like
// another to a reviewer or a screening list while comparing different. Refusing line
// breaks is also our reading of Ruby's line anchors in the published regexes: a value that
// would only match line by line is not accepted.
func Hidden(r rune) bool {
	return unicode.IsControl(r) || r == 0x2028 || r == 0x2029 || unicode.Is(unicode.Cf, r)
}

// strings checks an array of strings. Past f.Max entries only the count is reported, so
// a long array cannot flood the answer.
func (v *validator) strings(path string, val any, f *Field) (any, bool) {
	items, ok := v.array(path, val, f, "strings")
	if !ok {
		return nil, false
	}
	out := make([]any, 0, len(items))
	for i, item := range items {
		if s, ok := v.text(index(path, i), item, f); ok {
			out = append(out, s)
		}
	}
	return out, len(out) == len(items)
}

// objects checks an array of objects, each against f.Fields; problems are named by index
// (`directors[1].dateOfBirth`).
func (v *validator) objects(path string, scope Scope, val any, f *Field) (any, bool) {
	items, ok := v.array(path, val, f, "objects")
	if !ok {
		return nil, false
	}
	out := make([]any, 0, len(items))
	for i, item := range items {
		if obj, ok := v.nested(index(path, i), scope, item, f); ok {
			out = append(out, obj)
		}
	}
	return out, len(out) == len(items)
}

func (v *validator) array(path string, val any, f *Field, of string) ([]any, bool) {
	items, ok := val.([]any)
	switch {
	case !ok:
		v.invalid(path, path+" must be an array of "+of)
	case len(items) > f.Max:
		v.invalid(path, path+" must have at most "+strconv.Itoa(f.Max)+" entries")
	case len(items) < f.Min:
		v.invalid(path, path+" must have at least "+strconv.Itoa(f.Min)+" "+plural(f.Min, "entry", "entries"))
	default:
		return items, true
	}
	return nil, false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// BoolPattern is R-BOOL's tokens, true/false/1/0 in any ASCII case, written out rather
// than with (?i): ECMA-262 has no inline flag, and Go's case folding would also accept
// "falſe" (U+017F LONG S). The OpenAPI document's pattern for Bool members is this one.
const BoolPattern = `^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0)$`

var reBool = regexp.MustCompile(BoolPattern)

// flag reads a boolean sent as JSON true/false or as one of the published tokens
// true/false/1/0 in any case (R-BOOL).
func (v *validator) flag(path string, val any) (any, bool) {
	switch b := val.(type) {
	case bool:
		return b, true
	case string:
		if reBool.MatchString(b) {
			return Truthy(b), true
		}
		v.invalid(path, "Invalid "+path+". Must be true or false")
	default:
		v.invalid(path, path+" must be a boolean")
	}
	return nil, false
}

// Truthy reports whether a raw value reads as true the way a Bool field reads it.
func Truthy(val any) bool {
	switch b := val.(type) {
	case bool:
		return b
	case string:
		return b == "1" || strings.EqualFold(b, "true")
	}
	return false
}

// unknown reports the members of obj that f does not know, sorted by name. A misspelt
// field is an error rather than silently dropped: dropping "phoneNumber" would store a
// profile without the phone number its sender believes it has.
func (v *validator) unknown(path string, obj map[string]any, f *Field) {
	var names []string
	for name := range obj {
		if _, ok := f.Member(name); !ok {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return
	}
	slices.Sort(names)
	for _, name := range names {
		if v.full() { // no message, and above all no edit-distance search, past the bound
			v.omitted++
			continue
		}
		at := join(path, Echo(name))
		if msg, ok := f.Refused[name]; ok {
			v.invalid(at, msg)
			continue
		}
		v.invalid(at, unknownMessage(name, f.Fields))
	}
}

// unknownMessage names the unknown field and, when one is close, the known field of the
// same object it was probably meant to be.
func unknownMessage(name string, known []Field) string {
	msg := "Unknown field `" + Echo(name) + "`."
	if near, ok := nearest(name, known); ok {
		msg += " Did you mean `" + near + "`?"
	}
	return msg
}

// nearest finds the known name closest to name by edit distance, the first in schema order
// on a tie. It suggests within 3 edits, or within half the length of a longer name: a fixed
// 3 would miss phoneNumber → phoneNo (5 edits), the misspelling this rule exists for.
func nearest(name string, known []Field) (string, bool) {
	if len(name) > MaxEcho {
		return "", false
	}
	best, bestDist := "", -1
	for _, m := range known {
		if d := editDistance(name, m.Name); bestDist < 0 || d < bestDist {
			best, bestDist = m.Name, d
		}
	}
	ok := bestDist >= 0 && (bestDist <= 3 || 2*bestDist <= len(name))
	return best, ok
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// MaxEcho bounds what a message repeats of a value it quotes.
const MaxEcho = 100

// Echo prepares a value that a message quotes (enum values, unknown field names): cut to
// MaxEcho runes, hidden characters replaced, so a message stays one short, honest line.
func Echo(s string) string {
	var b strings.Builder
	for i, r := range []rune(s) {
		if i == MaxEcho {
			break
		}
		if Hidden(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}
