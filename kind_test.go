package kyc_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/fixtures"
	"github.com/openkyc/kyc/internal/schema"
)

// shape is what a declaration says of one member: its JSON type and whether it must be
// sent.
type shape struct {
	Type     string
	Required bool
}

// TestTypedViewsMatchSchemas holds each typed view (the client's structs) equal to its
// kind's schema, member by member: same JSON names at every depth, same types, and
// omitempty exactly where the schema lets a member out. A misspelt JSON tag fails here.
func TestTypedViewsMatchSchemas(t *testing.T) {
	views := map[*kyc.Kind]any{
		kyc.PersonalCPPlus: kyc.Personal{},
		kyc.BusinessCPPlus: kyc.Business{},
		kyc.PersonalCP:     kyc.PersonalCPProfile{},
		kyc.BusinessCP:     kyc.BusinessCPProfile{},
	}
	for _, k := range kyc.Kinds {
		want := map[string]shape{}
		k.Schema.Walk(func(path string, f *schema.Field) {
			want[path] = shape{typeName(f.Type), f.Required}
		})
		got := map[string]shape{}
		structShape(reflect.TypeOf(views[k]), "", got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: typed view differs from the schema (-schema +struct):\n%s", k.Name, diff)
		}
	}
}

func typeName(t schema.Type) string {
	return [...]string{"string", "bool", "object", "strings", "objects"}[t]
}

func structShape(t reflect.Type, path string, out map[string]shape) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			structShape(f.Type, path, out)
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		p := name
		if path != "" {
			p = path + "." + name
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		s := shape{Required: !slices.Contains(strings.Split(opts, ","), "omitempty")}
		switch {
		case ft.Kind() == reflect.String:
			s.Type = "string"
		case ft.Kind() == reflect.Bool:
			s.Type = "bool"
		case ft.Kind() == reflect.Struct:
			s.Type = "object"
			structShape(ft, p, out)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.String:
			s.Type = "strings"
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			s.Type = "objects"
			structShape(ft.Elem(), p+"[]", out)
		default:
			s.Type = ft.String()
		}
		out[p] = s
	}
}

// TestFixtures: every fixture is valid for its kind, and each kind's full fixture holds
// every member its schema declares, so that the HTTP round-trip test covers them all.
func TestFixtures(t *testing.T) {
	cat := kyc.DefaultCatalog()
	now := time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)
	for _, k := range kyc.Kinds {
		for name, body := range map[string]map[string]any{"base": fixtures.Profile(k.Name), "full": fixtures.Full(k.Name)} {
			if _, err := cat.Validate(k, body, now); err != nil {
				t.Errorf("%s %s fixture refused: %v %+v", k.Name, name, err, kyc.AsError(err).Details)
			}
		}
		full := fixtures.Full(k.Name)
		k.Schema.Walk(func(path string, f *schema.Field) {
			if !hasPath(full, strings.Split(path, ".")) {
				t.Errorf("%s full fixture lacks %s", k.Name, path)
			}
		})
	}
}

// hasPath reports whether doc holds the member at path, where "x[]" means some element
// of the array x.
func hasPath(doc any, path []string) bool {
	if len(path) == 0 {
		return true
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return false
	}
	name, array := strings.CutSuffix(path[0], "[]")
	v, ok := obj[name]
	if !ok || !array {
		return ok && hasPath(v, path[1:])
	}
	items, _ := v.([]any)
	return slices.ContainsFunc(items, func(item any) bool { return hasPath(item, path[1:]) })
}

func TestKindFor(t *testing.T) {
	for _, k := range kyc.Kinds {
		got, ok := kyc.KindFor(k.Model, k.RegistrationType)
		if !ok || got != k {
			t.Errorf("KindFor(%s, %s) = %v, want %s", k.Model, k.RegistrationType, got, k.Name)
		}
		if named, ok := kyc.KindNamed(k.Name); !ok || named != k {
			t.Errorf("KindNamed(%s) = %v", k.Name, named)
		}
	}
	if _, err := kyc.ParseModel("cp+"); err == nil {
		t.Error("ParseModel(cp+) accepted")
	}
}
