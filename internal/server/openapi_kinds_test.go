package server

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/schema"
)

var update = flag.Bool("update", false, "rewrite the generated parts of openapi.yaml")

const (
	beginKinds = "    # BEGIN GENERATED: profile kinds (go test ./internal/server -run TestOpenAPIProfileKinds -update)\n"
	endKinds   = "    # END GENERATED: profile kinds\n"
)

// TestOpenAPIProfileKinds holds the profile components of openapi.yaml equal to what the
// kinds' schemas generate: a member declared in a schema but not documented, or
// documented differently, fails here. -update rewrites them.
func TestOpenAPIProfileKinds(t *testing.T) {
	const path = "openapi.yaml"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	a, b := strings.Index(text, beginKinds), strings.Index(text, endKinds)
	if a < 0 || b < a {
		t.Fatalf("%s lacks the generated block's markers", path)
	}
	got, want := text[a+len(beginKinds):b], generatedKinds(t)
	if got == want {
		return
	}
	if *update {
		text = text[:a+len(beginKinds)] + want + text[b:]
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the profile components of %s differ from the schemas: run go test ./internal/server -run TestOpenAPIProfileKinds -update", path)
}

// generatedKinds renders every kind's component, indented to sit under components.schemas.
func generatedKinds(t *testing.T) string {
	root := &yaml.Node{Kind: yaml.MappingNode}
	for _, k := range kyc.Kinds {
		desc := fmt.Sprintf("A %s: registrationType %s in an account of the %s integration model. Created %s.",
			k.Title, k.RegistrationType, k.Model, k.Initial)
		root.Content = append(root.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Value: k.Component},
			schema.OpenAPI(k.Schema, k.Title, desc))
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line != "" {
			out.WriteString("    " + line)
		}
	}
	return out.String()
}
