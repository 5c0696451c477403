package kyc

import (
	"fmt"

	"github.com/openkyc/kyc/internal/schema"
)

// Model is an account's integration model: StraitsX serves one model per account at a
// time (spec §3.1), and the model decides which schema a body is read against.
type Model string

const (
	ModelCP     Model = "cp"      // regular Customer Profile: no KYC, no limits
	ModelCPPlus Model = "cp_plus" // Customer Profile+: full KYC/KYB
)

// ParseModel reads a model name as the CLI and the store give it.
func ParseModel(s string) (Model, error) {
	switch m := Model(s); m {
	case ModelCP, ModelCPPlus:
		return m, nil
	}
	return "", fmt.Errorf("unknown integration model %q: use cp or cp_plus", s)
}

func (m Model) title() string {
	if m == ModelCP {
		return "CP"
	}
	return "CP+"
}

// The two registration types, the published values of registrationType.
const (
	RegistrationPersonal = "personal"
	RegistrationBusiness = "business"
)

// Kind is one of the four profile kinds served on POST /v1/kyc/customer_profiles. Its
// schema is the one declaration of its fields: validation, storage order, the response
// document, merge-patch updates and the OpenAPI component all follow from it.
type Kind struct {
	Name             string // stored with the profile: personal_cp_plus, business_cp_plus, personal_cp, business_cp
	Title            string // as StraitsX titles it: "Personal CP+"
	Model            Model
	RegistrationType string
	Component        string // the OpenAPI component's name
	Schema           *schema.Field

	// Initial is the status a new profile takes: CP+ waits for review; a regular CP is
	// verified at once, as StraitsX's examples show.
	Initial Status

	// ReviewFree are the members whose change leaves a verified profile verified: contact
	// data, not what the verification was based on (COMPATIBILITY.md).
	ReviewFree []string
}

// Kinds are the four kinds, in the order the OpenAPI document lists them.
var Kinds = []*Kind{PersonalCPPlus, BusinessCPPlus, PersonalCP, BusinessCP}

// KindNamed returns the kind stored under name.
func KindNamed(name string) (*Kind, bool) {
	for _, k := range Kinds {
		if k.Name == name {
			return k, true
		}
	}
	return nil, false
}

// KindFor returns the kind an account of model m creates for registrationType t.
func KindFor(m Model, t string) (*Kind, bool) {
	for _, k := range Kinds {
		if k.Model == m && k.RegistrationType == t {
			return k, true
		}
	}
	return nil, false
}

// other is the kind of the other model with the same registrationType: a body meant for it
// is the commonest mistake after a model switch.
func (k *Kind) other() *Kind {
	m := ModelCP
	if k.Model == ModelCP {
		m = ModelCPPlus
	}
	o, _ := KindFor(m, k.RegistrationType)
	return o
}

// Equal reports whether k and o are the same kind: kinds are singletons, compared by
// identity (go-cmp uses this method rather than walking the schema).
func (k *Kind) Equal(o *Kind) bool { return k == o }

// Body is a create body in a typed view: *Personal, *Business, *PersonalCPProfile or
// *BusinessCPProfile. The kind it belongs to is the one an account of its model creates.
type Body interface {
	ProfileKind() *Kind
}

func (*Personal) ProfileKind() *Kind          { return PersonalCPPlus }
func (*Business) ProfileKind() *Kind          { return BusinessCPPlus }
func (*PersonalCPProfile) ProfileKind() *Kind { return PersonalCP }
func (*BusinessCPProfile) ProfileKind() *Kind { return BusinessCP }
