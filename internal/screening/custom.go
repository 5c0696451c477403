package screening

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/openkyc/kyc"
)

// CustomHeader is the header row a custom list must start with, in this order.
var CustomHeader = []string{"name", "aliases", "type", "date_of_birth", "country", "reference"}

// ParseCustom reads an operator's own deny list: UTF-8 CSV with the CustomHeader row, then
// one party a line. name and reference (unique in the file) are required; type is person or
// organisation; aliases, date_of_birth (YYYY-MM-DD or YYYY) and country (ISO 3166-1
// alpha-2) may hold several values separated by ";". A custom list has no publication date.
func ParseCustom(r io.Reader) (*List, error) {
	h := newHash()
	f, err := openCSV("custom", r, h, len(CustomHeader))
	if err != nil {
		return nil, err
	}
	header, err := f.next()
	if err == io.EOF {
		return nil, fmt.Errorf("custom: empty file, want the header %s", strings.Join(CustomHeader, ","))
	}
	if err != nil {
		return nil, err
	}
	if !slices.Equal(trimAll(header), CustomHeader) {
		return nil, f.errorf("header %q, want %s", strings.Join(header, ","), strings.Join(CustomHeader, ","))
	}
	l := &List{Source: Custom}
	refs := map[string]bool{}
	err = eachRecord(f, func(rec []string) error {
		e, err := customEntry(f, trimAll(rec))
		if err != nil {
			return err
		}
		if refs[e.Ref] {
			return f.errorf("reference %q appears twice", e.Ref)
		}
		if len(l.Entries) == MaxEntries {
			return f.errorf("more than %d entries", MaxEntries)
		}
		refs[e.Ref] = true
		l.Entries = append(l.Entries, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	l.SHA256 = hexSum(h)
	return l, nil
}

func customEntry(f *csvFile, rec []string) (Entry, error) {
	name, err := checkName(f, rec[0])
	if err != nil {
		return Entry{}, err
	}
	e := Entry{Name: name, Kind: Kind(rec[2]), Ref: rec[5], Aliases: splitValues(rec[1])}
	switch {
	case e.Kind != Person && e.Kind != Organisation:
		return Entry{}, f.errorf("type %q, want person or organisation", rec[2])
	case e.Ref == "" || len(e.Ref) > 100:
		return Entry{}, f.errorf("reference must be 1 to 100 characters")
	case len(e.Aliases) > MaxAliases:
		return Entry{}, f.errorf("more than %d aliases", MaxAliases)
	}
	for _, a := range e.Aliases {
		if _, err := checkName(f, a); err != nil {
			return Entry{}, err
		}
	}
	for _, s := range splitValues(rec[3]) {
		d, err := ParseDate(s)
		if err != nil {
			return Entry{}, f.errorf("date_of_birth: %v", err)
		}
		e.Births = addBirths(e.Births, d)
	}
	for _, c := range splitValues(rec[4]) {
		if !kyc.CountryAssigned(c) {
			return Entry{}, f.errorf("country %q is not an ISO 3166-1 alpha-2 code", c)
		}
		if !slices.Contains(e.Countries, c) {
			e.Countries = append(e.Countries, c)
		}
	}
	return e, nil
}

// splitValues splits a field holding several values separated by ";", dropping empty ones.
func splitValues(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ";") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func trimAll(rec []string) []string {
	out := make([]string, len(rec))
	for i, v := range rec {
		out[i] = strings.TrimSpace(v)
	}
	return out
}
