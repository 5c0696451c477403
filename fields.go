package kyc

import (
	"slices"

	"github.com/openkyc/kyc/internal/schema"
)

// Shorthands for declaring schemas: each kind's file reads as the published field table.

func required(name string, r schema.Rule) schema.Field {
	return schema.Field{Name: name, Rule: r, Required: true}
}

func optional(name string, r schema.Rule) schema.Field {
	return schema.Field{Name: name, Rule: r}
}

func requiredWhen(name string, r schema.Rule, c *schema.Cond) schema.Field {
	return schema.Field{Name: name, Rule: r, When: c}
}

func flag(name string, req bool) schema.Field {
	return schema.Field{Name: name, Type: schema.Bool, Required: req}
}

func group(name string, req bool, fields ...schema.Field) schema.Field {
	return schema.Field{Name: name, Type: schema.Object, Required: req, Fields: fields}
}

func stringList(name string, req bool, r schema.Rule, min, max int) schema.Field {
	return schema.Field{Name: name, Type: schema.Strings, Required: req, Rule: r, Min: min, Max: max}
}

func objects(name string, req bool, min, max int, fields ...schema.Field) schema.Field {
	return schema.Field{Name: name, Type: schema.Objects, Required: req, Min: min, Max: max, Fields: fields}
}

// normalized stores a valid value in its canonical form.
func normalized(f schema.Field, norm func(string) string) schema.Field {
	f.Normalize = norm
	return f
}

// documented adds a sentence to a field's OpenAPI description.
func documented(f schema.Field, doc string) schema.Field {
	f.Doc = doc
	return f
}

// Conditions of the conditional rules. Each reads the raw document as sent, so that a
// rule holds (or not) whatever else is wrong with it.

// topIs holds when the document's top-level member is exactly value.
func topIs(name, value string) *schema.Cond {
	return &schema.Cond{Doc: name + " is " + value, Holds: func(s schema.Scope) bool { return s[0][name] == value }}
}

// topSetNot holds when the top-level member is present and is not value.
func topSetNot(name, value string) *schema.Cond {
	return &schema.Cond{Doc: name + " is present and not " + value, Holds: func(s schema.Scope) bool {
		v, ok := s[0][name].(string)
		return ok && v != "" && v != value
	}}
}

// topTrue holds when the top-level member reads as true.
func topTrue(name string) *schema.Cond {
	return &schema.Cond{Doc: name + " is true", Holds: func(s schema.Scope) bool { return schema.Truthy(s[0][name]) }}
}

// topContains holds when the top-level array holds value.
func topContains(name, value string) *schema.Cond {
	return &schema.Cond{Doc: name + " contains " + value, Holds: func(s schema.Scope) bool {
		items, _ := s[0][name].([]any)
		return slices.Contains(items, any(value))
	}}
}

// parentIs holds when the object enclosing the field's object has member name = value: a
// director's identityDocuments.passport depends on that director's registrationIdType.
func parentIs(name, value string) *schema.Cond {
	return &schema.Cond{Doc: "the person's " + name + " is " + value, Holds: func(s schema.Scope) bool {
		return s.Up(1)[name] == value
	}}
}

// refusing adds the names another schema uses, with the message a sender of them gets.
func refusing(f schema.Field, names []string, message func(string) string) schema.Field {
	f.Refused = map[string]string{}
	for _, n := range names {
		f.Refused[n] = message(n)
	}
	return f
}
