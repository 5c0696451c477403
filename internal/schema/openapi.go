package schema

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// OpenAPI describes f as an OpenAPI 3.1 (JSON Schema 2020-12) object schema: members in
// schema order, required ones listed, enums and formats from the rules, conditional rules
// and rule texts in descriptions. Nested objects refuse unknown members, as the validator
// does; the top level leaves that to the document that combines it (a response adds the
// service's members). The server's OpenAPI document holds this output for every kind,
// and a test keeps the two equal.
func OpenAPI(f *Field, title, description string) *yaml.Node {
	n := object()
	add(n, "title", scalar(title))
	add(n, "description", scalar(description))
	objectBody(n, f)
	return n
}

func objectBody(n *yaml.Node, f *Field) {
	add(n, "type", scalar("object"))
	if req := required(f); len(req) > 0 {
		add(n, "required", flow(req))
	}
	props := object()
	for i := range f.Fields {
		m := &f.Fields[i]
		add(props, m.Name, property(m))
	}
	add(n, "properties", props)
}

func required(f *Field) []string {
	var names []string
	for _, m := range f.Fields {
		if m.Required {
			names = append(names, m.Name)
		}
	}
	return names
}

func property(f *Field) *yaml.Node {
	n := object()
	switch f.Type {
	case Object:
		objectBody(n, f)
		add(n, "additionalProperties", scalar("false"))
	case Objects:
		add(n, "type", scalar("array"))
		bounds(n, f)
		item := object()
		objectBody(item, f)
		add(item, "additionalProperties", scalar("false"))
		add(n, "items", item)
	case Strings:
		add(n, "type", scalar("array"))
		bounds(n, f)
		add(n, "items", stringSchema(f.Rule))
	case Bool:
		add(n, "oneOf", boolSchemas())
	default:
		n = stringSchema(f.Rule)
	}
	if d := describe(f); d != "" {
		add(n, "description", scalar(d))
	}
	return n
}

func bounds(n *yaml.Node, f *Field) {
	if f.Min > 0 {
		add(n, "minItems", scalar(strconv.Itoa(f.Min)))
	}
	add(n, "maxItems", scalar(strconv.Itoa(f.Max)))
}

func stringSchema(r Rule) *yaml.Node {
	n := object()
	add(n, "type", scalar("string"))
	if len(r.Enum) > 0 {
		add(n, "enum", flow(r.Enum))
	}
	if r.Format != "" {
		add(n, "format", scalar(r.Format))
	}
	return n
}

// boolSchemas: a JSON boolean, or R-BOOL's tokens in any case (BoolPattern, the
// validator's own expression).
func boolSchemas() *yaml.Node {
	b := object()
	add(b, "type", scalar("boolean"))
	s := object()
	add(s, "type", scalar("string"))
	add(s, "pattern", scalar(BoolPattern))
	return &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{b, s}}
}

func describe(f *Field) string {
	var parts []string
	if f.Rule.Doc != "" && len(f.Rule.Enum) == 0 {
		parts = append(parts, capitalise(f.Rule.Doc)+".")
	}
	if f.When != nil {
		parts = append(parts, "Required when "+f.When.Doc+".")
	}
	if f.Doc != "" {
		parts = append(parts, f.Doc)
	}
	return strings.Join(parts, " ")
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func object() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }

func scalar(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: s}
	if s == "false" || s == "true" || isNumber(s) {
		n.Tag = "!!" + map[bool]string{true: "int", false: "bool"}[isNumber(s)]
	} else {
		n.Tag = "!!str"
	}
	return n
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

func flow(values []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, v := range values {
		s := &yaml.Node{Kind: yaml.ScalarNode, Value: v, Tag: "!!str"}
		n.Content = append(n.Content, s)
	}
	return n
}

func add(n *yaml.Node, key string, val *yaml.Node) {
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key, Tag: "!!str"}, val)
}
