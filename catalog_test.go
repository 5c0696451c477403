package kyc

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultCatalog(t *testing.T) {
	c := DefaultCatalog()
	if got := len(c.businessIndustry.values); got != 46 {
		t.Errorf("got %d business industries, want the 46 certain ones", got)
	}
	if diff := cmp.Diff(defaultOccupations, c.occupation.values); diff != "" {
		t.Errorf("occupations mismatch (-want +got):\n%s", diff)
	}
	for _, v := range slices.Concat(c.businessIndustry.values, c.occupation.values) {
		if !upperSnake(v) {
			t.Errorf("catalogued value %q is not UPPER_SNAKE_CASE", v)
		}
	}
	for _, typo := range []string{
		"CHARITIES_AND_OTHER_NON_PROFI_ORGANISATIONS_OR_FOUNDATIONS",
		"CORPORATE_SERVICE_PROVIDERS_AND_CORPORATE_SERCRETARIAL_SERVICES",
	} {
		if !c.businessIndustry.known[typo] {
			t.Errorf("published spelling %s is not catalogued", typo)
		}
	}
}

func TestLoadCatalog(t *testing.T) {
	c, err := LoadCatalog("testdata/catalog.json")
	if err != nil {
		t.Fatalf("LoadCatalog: %v", err)
	}
	tests := []struct {
		path, value, code string
	}{
		{"occupation", "STUDENT", ""},       // listed in the file
		{"occupation", "SELF_EMPLOYED", ""}, // listed in the file
		{"occupation", "DATA_SCIENTIST", CodeInvalid},
		{"businessIndustry", "RESEARCH_AND_DEVELOPMENT", ""},
		{"businessIndustry", "SPACE_TOURISM", ""}, // open list
		{"businessIndustry", "space tourism", CodeInvalid},
	}
	for _, tt := range tests {
		doc := sample(t)
		set(doc, tt.path, tt.value)
		_, err := validateWith(t, c, doc, testNow)
		var want []FieldError
		if tt.code != "" {
			want = []FieldError{{Field: tt.path, Code: tt.code}}
		}
		if diff := cmp.Diff(want, problems(t, err)); diff != "" {
			t.Errorf("%s = %s: mismatch (-want +got):\n%s", tt.path, tt.value, diff)
		}
	}
}

// TestLoadCatalogStrictMessage: a strict list answers with the enum message and its whole list.
func TestLoadCatalogStrictMessage(t *testing.T) {
	path := writeCatalog(t, `{"occupation":{"values":["PILOT","NURSE"],"strict":true}}`)
	c, err := LoadCatalog(path)
	if err != nil {
		t.Fatalf("LoadCatalog: %v", err)
	}
	doc := sample(t)
	set(doc, "occupation", "SELF_EMPLOYED")
	_, err = validateWith(t, c, doc, testNow)
	want := "Invalid occupation `SELF_EMPLOYED`. Must be in [\"PILOT\", \"NURSE\"]"
	if got := AsError(err).Message; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !c.businessIndustry.known["IT_RELATED"] || c.businessIndustry.strict {
		t.Errorf("businessIndustry, absent from the file, should keep the open default")
	}
}

func TestLoadCatalogErrors(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"unknown top-level key", `{"occupations":{"values":["A"]}}`, `unknown field "occupations"`},
		{"unknown list key", `{"occupation":{"values":["A"],"strict":true,"mode":"x"}}`, `unknown field "mode"`},
		{"empty values", `{"occupation":{"values":[],"strict":true}}`, `occupation: "values" is missing or empty`},
		{"no values", `{"businessIndustry":{"strict":true}}`, `businessIndustry: "values" is missing or empty`},
		{"lower case", `{"occupation":{"values":["PILOT","nurse"]}}`, `occupation: value 2 "nurse" is not UPPER_SNAKE_CASE`},
		{"too long", `{"occupation":{"values":["` + strings.Repeat("A", 101) + `"]}}`, `value 1`},
		{"duplicate value", `{"occupation":{"values":["PILOT","PILOT"]}}`, `value 2 "PILOT" is listed twice`},
		{"not an object", `["PILOT"]`, "cannot unmarshal array"},
		{"wrong type", `{"occupation":{"values":"PILOT"}}`, "cannot unmarshal string"},
		{"malformed", `{"occupation":`, "unexpected EOF"},
		{"trailing data", `{} {}`, "data after the JSON object"},
		{"empty file", ``, "the file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeCatalog(t, tt.body)
			_, err := LoadCatalog(path)
			if err == nil {
				t.Fatal("LoadCatalog succeeded, want an error")
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, want it to name the file and contain %q", err, tt.want)
			}
		})
	}
	if _, err := LoadCatalog(filepath.Join(t.TempDir(), "absent.json")); err == nil || !strings.Contains(err.Error(), "absent.json") {
		t.Errorf("missing file: got %v, want an error naming it", err)
	}
}

func writeCatalog(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "catalog.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWarnings(t *testing.T) {
	doc := sample(t)
	set(doc, "occupation", "DATA_SCIENTIST")
	set(doc, "businessIndustry", "RESEARCH_AND_DEVELOPMENT")
	c := DefaultCatalog()
	d, err := c.Validate(PersonalCPPlus, doc, testNow)
	if err != nil {
		t.Fatalf("refused: %+v", problems(t, err))
	}
	want := []Warning{
		{Field: "businessIndustry", Message: "`RESEARCH_AND_DEVELOPMENT` is not a catalogued businessIndustry; accepted as an UPPER_SNAKE_CASE value"},
		{Field: "occupation", Message: "`DATA_SCIENTIST` is not a catalogued occupation; accepted as an UPPER_SNAKE_CASE value"},
	}
	if diff := cmp.Diff(want, c.Warnings(d)); diff != "" {
		t.Errorf("Warnings mismatch (-want +got):\n%s", diff)
	}
	d, _ = c.Validate(PersonalCPPlus, sample(t), testNow)
	if got := c.Warnings(d); len(got) != 0 {
		t.Errorf("Warnings(sample) = %v, want none", got)
	}
}
