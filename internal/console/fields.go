package console

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/schema"
)

// A profile as a reviewer reads it: who the customer is, how to reach them, their
// addresses, what they will do with the account and with what money, then each nested
// part of the kind's schema (documents, sources of wealth, directors and owners) as a
// section of its own, in the schema's order. The sections of the top-level fields are
// named here, a presentation choice; TestEveryTopLevelFieldHasASection keeps every
// kind's fields placed.
var topSections = []struct {
	title string
	names []string
}{
	{"Identity", []string{"customerName", "customerFirstName", "customerLastName", "customerNativeName", "tradingName",
		"dateOfBirth", "gender", "nationality", "countryOfResidence", "registrationType", "registrationIdType",
		"registrationId", "registrationIdCountry", "registrationIdExpiryDate", "entityLegalForm",
		"countryOfIncorporation", "dateOfIncorporation"}},
	{"Contact", []string{"email", "phoneNo", "businessContact", "website", "merchantRef", "ipAddresses"}},
	{"Activity and funds", []string{"occupation", "businessIndustry", "natureOfBusiness", "otherNatureOfBusiness",
		"placeOfBiz", "placeOfBizCountry", "licensingStatus", "purposeOfAccount", "otherPurposeOfAccount",
		"annualIncome", "totalWealth", "expectedAnnualTransactionAmount", "expectedTransactionSize",
		"expectedTransactionFrequency", "monthlyTransactionVolume", "sourceOfFunds", "otherSourceOfFunds",
		"usOwnership", "intermediaries"}},
}

// section is one heading of the profile page.
type section struct {
	Title string
	Rows  []row
	Items []item // the entries of a list of objects (directors, owners)
}

type item struct {
	Title string
	Rows  []row
}

// row is one field. Link is set for a web link (a document): the page links to it, to
// open in a new tab; the server never fetches it.
type row struct {
	Label string
	Value string
	Link  string
}

// sections lays out p's data: the top sections in the order of their names, then the
// nested parts of the kind's schema (and any top-level field not placed) in schema order.
func sections(p *kyc.Profile) []section {
	placed := map[string]bool{}
	var out []section
	for _, ts := range topSections {
		s := section{Title: ts.title}
		for _, n := range ts.names {
			placed[n] = true
			if f, ok := p.Kind.Schema.Member(n); ok && p.Data[n] != nil {
				s.Rows = append(s.Rows, rows("", f, p.Data[n])...)
			}
		}
		out = append(out, s)
	}
	for i := range p.Kind.Schema.Fields {
		f := &p.Kind.Schema.Fields[i]
		v, ok := p.Data[f.Name]
		switch {
		case !ok || placed[f.Name] && f.Type != schema.Object && f.Type != schema.Objects:
		case f.Type == schema.Object:
			out = append(out, section{Title: humanize(f.Name), Rows: objectRows("", f, v)})
		case f.Type == schema.Objects:
			out = append(out, listSection(f, v))
		default:
			out = append(out, section{Title: humanize(f.Name), Rows: rows("", f, v)})
		}
	}
	return nonEmpty(out)
}

func nonEmpty(ss []section) []section {
	out := ss[:0]
	for _, s := range ss {
		if len(s.Rows) > 0 || len(s.Items) > 0 {
			out = append(out, s)
		}
	}
	return out
}

func listSection(f *schema.Field, v any) section {
	s := section{Title: humanize(f.Name)}
	list, _ := v.([]any)
	for i, e := range list {
		s.Items = append(s.Items, item{Title: fmt.Sprintf("%s %d", singular(humanize(f.Name)), i+1), Rows: objectRows("", f, e)})
	}
	return s
}

func singular(s string) string { return strings.TrimSuffix(s, "s") }

// rows flattens the value of f: an object's members become rows labelled with their path.
func rows(prefix string, f *schema.Field, v any) []row {
	label := humanize(f.Name)
	if prefix != "" {
		label = prefix + " › " + strings.ToLower(label[:1]) + label[1:]
	}
	switch f.Type {
	case schema.Object:
		return objectRows(label, f, v)
	case schema.Objects:
		list, _ := v.([]any)
		var out []row
		for i, e := range list {
			out = append(out, objectRows(fmt.Sprintf("%s %d", label, i+1), f, e)...)
		}
		return out
	}
	return []row{valueRow(label, v)}
}

func objectRows(prefix string, f *schema.Field, v any) []row {
	obj, _ := v.(map[string]any)
	var out []row
	for i := range f.Fields {
		m := &f.Fields[i]
		if mv, ok := obj[m.Name]; ok {
			out = append(out, rows(prefix, m, mv)...)
		}
	}
	return out
}

func valueRow(label string, v any) row {
	switch x := v.(type) {
	case string:
		return row{Label: label, Value: x, Link: webLink(x)}
	case bool:
		return row{Label: label, Value: map[bool]string{true: "Yes", false: "No"}[x]}
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fmt.Sprint(e)
		}
		return row{Label: label, Value: strings.Join(parts, ", ")}
	}
	return row{Label: label, Value: fmt.Sprint(v)}
}

// webLink returns s when it is an http or https URL, the only links a page may hold.
func webLink(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return s
}
