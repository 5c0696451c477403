package kyc

import (
	"fmt"
	"strings"
	"time"

	"github.com/openkyc/kyc/internal/schema"
)

// Data is a profile's attributes as its kind's schema declares them: validated,
// normalised, and typed as JSON decodes them (string, bool, []any, map[string]any).
type Data = map[string]any

// Decode reads a create body for an account of model m: DecodeObject, then Validate
// against the kind its registrationType names.
func (c *Catalog) Decode(m Model, body []byte, now time.Time) (*Kind, Data, error) {
	doc, err := DecodeObject(body)
	if err != nil {
		return nil, nil, err
	}
	k, err := KindOf(m, doc)
	if err != nil {
		return nil, nil, err
	}
	data, err := c.Validate(k, doc, now)
	return k, data, err
}

// KindOf chooses the kind of a create body: the account's model and registrationType.
// registrationType comes first: a type that is neither personal nor business is refused
// with that one problem, since the rest cannot be read against any schema. When it is
// missing, it is reported in its place and the body is read as a personal profile.
func KindOf(m Model, doc map[string]any) (*Kind, error) {
	t, isString := doc["registrationType"].(string)
	if doc["registrationType"] == nil || isString && strings.TrimSpace(t) == "" {
		t = RegistrationPersonal
	}
	k, ok := KindFor(m, t)
	if !ok {
		return nil, Validation([]FieldError{Invalid("registrationType", "registrationType must be either business or personal")})
	}
	return k, nil
}

// Validate checks a decoded document against every rule of kind k and returns its data,
// or an *Error listing every problem found (at most schema.MaxProblems, with the count of
// the others), in the field order of the schema. now is the clock, for dates of birth.
//
// A body that has the shape of the other model's kind of the same registrationType (a
// Personal CP body sent to a CP+ account, say) gets, first, a problem that names the
// account's model: thirteen missing fields alone do not tell why.
func (c *Catalog) Validate(k *Kind, doc map[string]any, now time.Time) (Data, error) {
	env := &schema.Env{Today: todayInLatestZone(now), Ext: c}
	r := schema.Validate(k.Schema, doc, env)
	if r.OK() {
		return r.Value, nil
	}
	problems := fieldErrors(r.Problems)
	if o := k.other(); o != nil && fitsBetter(schema.Validate(o.Schema, doc, env), r) {
		problems = append([]FieldError{modelMismatch(k, o)}, problems...)
	}
	return nil, validationOmitting(problems, r.Omitted)
}

// fitsBetter: a body has the other kind's shape when that kind misses nothing in it and
// finds fewer problems than its own kind does.
func fitsBetter(other, own *schema.Result) bool {
	for _, p := range other.Problems {
		if p.Missing {
			return false
		}
	}
	return len(other.Problems)+other.Omitted < len(own.Problems)+own.Omitted
}

func modelMismatch(k, o *Kind) FieldError {
	return Invalid("registrationType", "This account uses the %s integration model, so a %s profile must be a %s; "+
		"the body is a %s. Send the %s fields, or have the operator switch the account to the %s model (kyc account update --model %s).",
		k.Model.title(), k.RegistrationType, k.Title, o.Title, k.Title, o.Model.title(), o.Model)
}

func fieldErrors(problems []schema.Problem) []FieldError {
	out := make([]FieldError, len(problems))
	for i, p := range problems {
		if p.Missing {
			out[i] = Missing(p.Path)
		} else {
			out[i] = Invalid(p.Path, "%s", p.Message)
		}
	}
	return out
}

// validationOmitting is Validation for a list that was cut at schema.MaxProblems: the
// answer says how many more problems there were.
func validationOmitting(problems []FieldError, omitted int) *Error {
	e := Validation(problems)
	if omitted > 0 {
		e.Details = append(e.Details, FieldError{
			Code:    CodeInvalid,
			Message: fmt.Sprintf("%d more problems were found and not listed; fix the ones above and send the request again", omitted),
		})
	}
	return e
}

// catalogOf is the catalog a validation runs with (schema.Env.Ext).
func catalogOf(env *schema.Env) *Catalog { return env.Ext.(*Catalog) }

// RegistrationKey normalises a registrationId for the uniqueness rule: trimmed,
// upper-cased, inner spaces removed, so "s1234567a" and "S 1234567 A" are one person.
func RegistrationKey(id string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(id), " ", ""))
}

// ValidRegistrationID reports whether id passes the registrationId rule (R-REGID), for
// places that take one outside a profile, such as filter[registration_id]. Every kind's
// registrationId rule accepts a subset of it.
func ValidRegistrationID(id string) bool {
	return reRegID.MatchString(id)
}
