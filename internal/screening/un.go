package screening

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// unParty is an INDIVIDUAL or ENTITY element of the UN consolidated list, with the members
// kept (schema https://www.un.org/sc/resources/sc-sanctions.xsd).
type unParty struct {
	DataID      string    `xml:"DATAID"`
	Names       []string  `xml:"FIRST_NAME"`
	Second      string    `xml:"SECOND_NAME"`
	Third       string    `xml:"THIRD_NAME"`
	Fourth      string    `xml:"FOURTH_NAME"`
	Regime      string    `xml:"UN_LIST_TYPE"`
	Reference   string    `xml:"REFERENCE_NUMBER"`
	Original    string    `xml:"NAME_ORIGINAL_SCRIPT"`
	Nationality []string  `xml:"NATIONALITY>VALUE"`
	Aliases     []unAlias `xml:"INDIVIDUAL_ALIAS"`
	EntAliases  []unAlias `xml:"ENTITY_ALIAS"`
	Addresses   []unPlace `xml:"INDIVIDUAL_ADDRESS"`
	EntAddress  []unPlace `xml:"ENTITY_ADDRESS"`
	Births      []unBirth `xml:"INDIVIDUAL_DATE_OF_BIRTH"`
	BirthPlaces []unPlace `xml:"INDIVIDUAL_PLACE_OF_BIRTH"`
}

type unAlias struct {
	Quality string `xml:"QUALITY"`
	Name    string `xml:"ALIAS_NAME"`
}

type unPlace struct {
	Country string `xml:"COUNTRY"`
}

type unBirth struct {
	Date string `xml:"DATE"`
	Year string `xml:"YEAR"`
	From string `xml:"FROM_YEAR"`
	To   string `xml:"TO_YEAR"`
}

// ParseUN reads the UN Security Council Consolidated List (XML). The publication time is the
// root's dateGenerated. Aliases the UN rates "Low" quality are not kept (the UN itself
// says they are too broad to identify anyone); a name in its original script is kept as an
// alias.
func ParseUN(r io.Reader) (*List, error) {
	h := newHash()
	dec := xml.NewDecoder(newHashedReader(r, h, "un"))
	l := &List{Source: UN}
	refs := map[string]bool{}
	depth, sawRoot := 0, false
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, unError(err, line)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxXMLDepth {
				return nil, fmt.Errorf("un line %d: elements nested deeper than %d", line, maxXMLDepth)
			}
			if depth == 1 {
				if t.Name.Local != "CONSOLIDATED_LIST" {
					return nil, fmt.Errorf("un line %d: root element <%s>, want <CONSOLIDATED_LIST>", line, t.Name.Local)
				}
				sawRoot = true
				if l.Published, err = unGenerated(t); err != nil {
					return nil, fmt.Errorf("un line %d: %w", line, err)
				}
			}
			if t.Name.Local == "INDIVIDUAL" || t.Name.Local == "ENTITY" {
				e, err := decodeUNParty(dec, t, line)
				if err != nil {
					return nil, err
				}
				if refs[e.Ref] {
					return nil, fmt.Errorf("un line %d: <%s> %s appears twice", line, t.Name.Local, e.Ref)
				}
				if len(l.Entries) == MaxEntries {
					return nil, fmt.Errorf("un line %d: more than %d entries", line, MaxEntries)
				}
				refs[e.Ref] = true
				l.Entries = append(l.Entries, e)
				depth--
			}
		case xml.EndElement:
			depth--
		case xml.Directive:
			return nil, fmt.Errorf("un line %d: a <!DOCTYPE> or other directive is not accepted", line)
		}
	}
	if !sawRoot {
		return nil, errors.New("un: no <CONSOLIDATED_LIST> element")
	}
	l.SHA256 = hexSum(h)
	return l, nil
}

func unError(err error, line int) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("un line %d: %s", se.Line, se.Msg)
	}
	return fmt.Errorf("un line %d: %w", line, err)
}

// unGenerated reads the root's dateGenerated attribute, if it has one.
func unGenerated(root xml.StartElement) (*time.Time, error) {
	for _, a := range root.Attr {
		if a.Name.Local == "dateGenerated" {
			t, err := time.Parse(time.RFC3339Nano, a.Value)
			if err != nil {
				return nil, fmt.Errorf("dateGenerated %q is not an RFC 3339 time", a.Value)
			}
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, nil
}

func decodeUNParty(dec *xml.Decoder, start xml.StartElement, line int) (Entry, error) {
	var p unParty
	fail := func(format string, args ...any) (Entry, error) {
		return Entry{}, fmt.Errorf("un line %d: <%s> %s: %s", line, start.Name.Local, p.Reference, fmt.Sprintf(format, args...))
	}
	if err := dec.DecodeElement(&p, &start); err != nil {
		return Entry{}, unError(err, line)
	}
	e := Entry{Ref: strings.TrimSpace(p.Reference), Kind: Organisation, Name: p.name()}
	if start.Name.Local == "INDIVIDUAL" {
		e.Kind = Person
	}
	switch {
	case e.Ref == "":
		return fail("no REFERENCE_NUMBER")
	case e.Name == "":
		return fail("no FIRST_NAME")
	case len(e.Name) > MaxNameBytes:
		return fail("name longer than %d bytes", MaxNameBytes)
	}
	if regime := strings.TrimSpace(p.Regime); regime != "" {
		e.Programs = []string{regime}
	}
	if err := p.fill(&e); err != nil {
		return fail("%v", err)
	}
	return e, nil
}

// name joins FIRST_NAME to FOURTH_NAME; more than one FIRST_NAME is malformed and makes no
// name.
func (p *unParty) name() string {
	if len(p.Names) != 1 {
		return ""
	}
	parts := []string{p.Names[0], p.Second, p.Third, p.Fourth}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// fill adds the aliases, dates of birth and countries to e.
func (p *unParty) fill(e *Entry) error {
	for _, a := range append(p.Aliases, p.EntAliases...) {
		name := strings.Join(strings.Fields(a.Name), " ")
		if name == "" || strings.EqualFold(a.Quality, "Low") || slices.Contains(e.Aliases, name) {
			continue
		}
		e.Aliases = append(e.Aliases, name)
	}
	if o := strings.TrimSpace(p.Original); o != "" {
		e.Aliases = append(e.Aliases, o)
	}
	if len(e.Aliases) > MaxAliases {
		return fmt.Errorf("more than %d aliases", MaxAliases)
	}
	for _, a := range e.Aliases {
		if len(a) > MaxNameBytes {
			return fmt.Errorf("alias longer than %d bytes", MaxNameBytes)
		}
	}
	for _, b := range p.Births {
		dates, err := b.dates()
		if err != nil {
			return err
		}
		e.Births = addBirths(e.Births, dates...)
	}
	for _, c := range p.Nationality {
		e.Countries = addCountry(e.Countries, c)
	}
	for _, pl := range slices.Concat(p.Addresses, p.EntAddress, p.BirthPlaces) {
		e.Countries = addCountry(e.Countries, pl.Country)
	}
	return nil
}

// dates reads one INDIVIDUAL_DATE_OF_BIRTH: a DATE, a YEAR, or FROM_YEAR to TO_YEAR (each
// year, at most ten); an empty one gives none.
func (b unBirth) dates() ([]Date, error) {
	switch {
	case strings.TrimSpace(b.Date) != "":
		d, err := ParseDate(strings.TrimSpace(b.Date))
		return []Date{d}, err
	case strings.TrimSpace(b.Year) != "":
		d, err := ParseDate(strings.TrimSpace(b.Year))
		return []Date{d}, err
	case strings.TrimSpace(b.From) != "":
		return yearRange(b.From, b.To)
	}
	return nil, nil
}

func yearRange(from, to string) ([]Date, error) {
	a, err1 := strconv.Atoi(strings.TrimSpace(from))
	b, err2 := strconv.Atoi(strings.TrimSpace(to))
	if err1 != nil || err2 != nil || b < a || b-a > 10 || a < 1000 {
		return nil, fmt.Errorf("FROM_YEAR %q TO_YEAR %q is not a range of at most ten years", from, to)
	}
	var years []Date
	for y := a; y <= b; y++ {
		years = append(years, Date(strconv.Itoa(y)))
	}
	return years, nil
}
