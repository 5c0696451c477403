// Package schema is the generic machinery behind the profile kinds: a kind's schema is a
// tree of Fields, declared once in the root package, from which a request body is
// validated and normalised, stored attributes are written in order, and the OpenAPI
// component is generated. Nothing here knows a profile field by name.
package schema

// Type is the JSON type a field holds.
type Type int

const (
	String  Type = iota
	Bool         // a JSON boolean, or one of the strings true/false/1/0 in any case (R-BOOL)
	Object       // an object of Fields
	Strings      // an array of strings, each checked by Rule
	Objects      // an array of objects, each of Fields
)

// Env is what rules may consult besides the value: the date for dates of birth, and the
// caller's own data (the root package passes its catalog of open lists).
type Env struct {
	Today string // YYYY-MM-DD
	Ext   any
}

// Rule checks one string value that has passed the type and character checks. Check
// returns the problem's message, or "" when the value is fine. Messages never repeat a
// value that may be personal data. Doc, Enum and Format describe the rule for people
// and for the OpenAPI document.
type Rule struct {
	Check  func(env *Env, path, s string) string
	Doc    string
	Enum   []string // the closed list of values, when the rule is one
	Format string   // an OpenAPI format, such as "date"
}

// Scope is the chain of objects that encloses a field: Scope[0] is the whole document,
// the last element the object that holds the field.
type Scope []map[string]any

// Up returns the object n levels above the one holding the field (0: that object).
func (s Scope) Up(n int) map[string]any {
	if n >= len(s) {
		return nil
	}
	return s[len(s)-1-n]
}

// Cond makes a field required when it holds (a conditional rule). Doc says when, in words.
type Cond struct {
	Doc   string
	Holds func(s Scope) bool
}

// Field is one member of a schema.
type Field struct {
	Name     string
	Type     Type
	Required bool
	When     *Cond             // required when it holds
	Rule     Rule              // String, and each entry of Strings
	Min, Max int               // Strings and Objects: fewest and most entries (Max 0: no entries allowed is never meant; see Validate)
	Fields   []Field           // Object, and each entry of Objects: members in the order problems are listed
	Refused  map[string]string // Object: names of another schema, with their message
	Doc      string            // a sentence for the OpenAPI document beyond the rule's own

	// Normalize gives the stored form of a valid string (a country name stored as its
	// alpha-2 code, say); nil stores the value as sent.
	Normalize func(string) string
}

// Member returns the member of f called name.
func (f *Field) Member(name string) (*Field, bool) {
	for i := range f.Fields {
		if f.Fields[i].Name == name {
			return &f.Fields[i], true
		}
	}
	return nil, false
}

// Walk calls fn for f's members and theirs, depth first in schema order, with each
// member's path (`address.city`, `directors[].firstName`).
func (f *Field) Walk(fn func(path string, m *Field)) {
	f.walk("", fn)
}

func (f *Field) walk(path string, fn func(string, *Field)) {
	for i := range f.Fields {
		m := &f.Fields[i]
		p := join(path, m.Name)
		fn(p, m)
		if m.Type == Objects {
			p += "[]"
		}
		m.walk(p, fn)
	}
}
