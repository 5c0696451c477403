package kyc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// Catalog holds the known values of the two open lists, occupation and businessIndustry,
// whose published lists are incomplete (spec §3.6, §3.7). By default a value outside the
// catalog is still accepted when it has the shape of the published values, and reported by
// Warnings for a reviewer; an operator who knows the full lists loads them with LoadCatalog
// and can make either list strict. A Catalog is never changed after it is built, so one
// value can serve concurrent requests.
type Catalog struct {
	occupation       openList
	businessIndustry openList
}

// openList is one open list and how strictly it is enforced.
type openList struct {
	field  string
	values []string // in the catalog's order, for messages
	known  map[string]bool
	strict bool
}

// maxOpenValue bounds an uncatalogued value; the longest published one has 64 characters.
const maxOpenValue = 100

// defaultIndustries are the values of "Business Industry Accepted Values" that could be
// read, in the published order and spelling, typos included (NON_PROFI, SERCRETARIAL). The
// 47th is cut off in every stored copy after "RESEARCH_AND_DE" and is left out rather than
// guessed; as an UPPER_SNAKE_CASE value it is still accepted in the default open mode.
var defaultIndustries = []string{
	"ADVERTISING_FIRM",
	"AGRICULTURE_FARMING_HUSBANDRY_AND_RELATED_SERVICES",
	"AUCTION_HOUSES",
	"ARMED_FORCES",
	"ARMAMENT_OR_WEAPONS_RELATED_INDUSTRIES",
	"ARTS_AND_ENTERTAINMENT",
	"AVIATION_OR_AEROSPACE",
	"BANKS_OR_FINANCE_COMPANIES_OR_FINTECH_COMPANIES_OR_PAYMENT_SERVICE",
	"BROKERING_FIRMS_OR_MONEY_BROKERS",
	"ARCHITECTURE_OR_BUILDING_DEVELOPERS_OR_CONSTRUCTION",
	"CASINOS_OR_JUNKETS",
	"CARGO_TRANSPORT",
	"CHARITIES_AND_OTHER_NON_PROFI_ORGANISATIONS_OR_FOUNDATIONS",
	"CONVENIENCE_STORES",
	"CONTRACTORS",
	"CORPORATE_SERVICE_PROVIDERS_AND_CORPORATE_SERCRETARIAL_SERVICES",
	"CRYPTO_CURRENCY_RELATED_INDUSTRIES",
	"DEALERS_IN_OTHER_HIGH_VALUE_OR_PRECIOUS_GOODS",
	"DEALERS_IN_PRECIOUS_METALS_OR_STONES",
	"EDUCATION",
	"ENERGY_OR_OIL_AND_GAS",
	"ENGINEERING",
	"EMBASSIES_AND_FOREIGN_CONSULATES",
	"ESTATE_AGENTS_REAL_ESTATE_BROKERS",
	"FOOD_AND_BEVERAGES",
	"BANKING_AND_ASSET_MANAGEMENT",
	"GAMBLING_OR_GAMING_RELATED_BUSINESSES",
	"GENERAL_COMMERCE",
	"GOVERNMENT_OR_STATUTORY_BOARD",
	"HEALTHCARE",
	"HOLDING_COMPANIES",
	"HOTELS_OR_HOSPITALITY",
	"HORSE_RACING_AND_OTHER_BETTING_ACTIVITIES",
	"INSURANCE_COMPANIES",
	"IT_RELATED",
	"JEWELRY_AND_GEMS",
	"LAW_FIRM_ACCOUNTING_FIRM_AND_OTHER_PROFESSIONAL_SERVICE_PROVIDERS",
	"MANUFACTURING",
	"MINING_OR_DRILLING",
	"MONEY_CHANGING_AND_REMITTANCE_AGENTS",
	"MONEY_LENDING_AND_OTHER_MONEY_SERVICE_BUSINESSES",
	"PAWN_BROKERAGE",
	"PERSONAL_SERVICES",
	"TRANSPORT_AND_COURIER_SERVICES",
	"REAL_ESTATE",
	"RECREATION_AND_ENTERTAINMENT_SERVICES",
}

// defaultOccupations are the only occupations known to be valid: the published list was
// never readable, these three appear in the official examples.
var defaultOccupations = []string{
	"ASSOCIATE_OR_ANALYST_OR_EXECUTIVE",
	"SENIOR_ASSOCIATE_OR_SENIOR_EXECUTIVE",
	"SELF_EMPLOYED",
}

// DefaultCatalog is the catalog of the published values, both lists open.
func DefaultCatalog() *Catalog {
	return &Catalog{
		occupation:       newOpenList("occupation", defaultOccupations, false),
		businessIndustry: newOpenList("businessIndustry", defaultIndustries, false),
	}
}

func newOpenList(field string, values []string, strict bool) openList {
	known := make(map[string]bool, len(values))
	for _, v := range values {
		known[v] = true
	}
	return openList{field: field, values: slices.Clone(values), known: known, strict: strict}
}

// check accepts a catalogued value; in open mode also any UPPER_SNAKE_CASE value of at most
// maxOpenValue characters.
func (l *openList) check(path, s string) string {
	switch {
	case l.known[s]:
		return ""
	case l.strict:
		return enumMessage(path, s, l.values)
	case upperSnake(s):
		return ""
	}
	return fmt.Sprintf("Invalid %s `%s`. Must be an UPPER_SNAKE_CASE value of at most %d characters, such as %s",
		path, echo(s), maxOpenValue, quoteList(l.values[:min(len(l.values), 3)]))
}

func upperSnake(s string) bool {
	return len(s) <= maxOpenValue && reUpperSnake.MatchString(s)
}

// warning flags a value that was accepted without being catalogued.
func (l *openList) warning(s string) (Warning, bool) {
	if s == "" || l.known[s] {
		return Warning{}, false
	}
	msg := fmt.Sprintf("`%s` is not a catalogued %s; accepted as an UPPER_SNAKE_CASE value", echo(s), l.field)
	return Warning{Field: l.field, Message: msg}, true
}

// Warnings flags values of the open lists that were accepted but are not in the catalog.
// Empty when none.
func (c *Catalog) Warnings(d Data) []Warning {
	industry, _ := d["businessIndustry"].(string)
	occupation, _ := d["occupation"].(string)
	return c.warnings(industry, occupation)
}

func (c *Catalog) warnings(industry, occupation string) []Warning {
	var out []Warning
	if w, ok := c.businessIndustry.warning(industry); ok {
		out = append(out, w)
	}
	if w, ok := c.occupation.warning(occupation); ok {
		out = append(out, w)
	}
	return out
}

// catalogFile is the operator's catalog file: each list optional, nothing else allowed.
type catalogFile struct {
	Occupation       *listFile `json:"occupation"`
	BusinessIndustry *listFile `json:"businessIndustry"`
}

type listFile struct {
	Values []string `json:"values"`
	Strict bool     `json:"strict"`
}

// LoadCatalog reads an operator's JSON catalog file that replaces the open lists:
// {"occupation":{"values":[…],"strict":true},"businessIndustry":{"values":[…],"strict":false}}.
// A list absent from the file keeps the default. Unknown keys, empty value lists and values
// that are not UPPER_SNAKE_CASE of at most 100 characters are refused with an error that
// names the file and the problem.
func LoadCatalog(path string) (*Catalog, error) {
	f, err := readCatalogFile(path)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", path, err)
	}
	c := DefaultCatalog()
	if err := c.occupation.replace(f.Occupation); err != nil {
		return nil, fmt.Errorf("catalog %s: occupation: %w", path, err)
	}
	if err := c.businessIndustry.replace(f.BusinessIndustry); err != nil {
		return nil, fmt.Errorf("catalog %s: businessIndustry: %w", path, err)
	}
	return c, nil
}

func readCatalogFile(path string) (catalogFile, error) {
	var f catalogFile
	data, err := os.ReadFile(path)
	if err != nil {
		return f, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err = dec.Decode(&f)
	if errors.Is(err, io.EOF) {
		return f, errors.New("the file is empty")
	}
	if err != nil {
		return f, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return f, errors.New("data after the JSON object")
	}
	return f, nil
}

// replace swaps the list for the file's, when the file has one.
func (l *openList) replace(f *listFile) error {
	if f == nil {
		return nil
	}
	if len(f.Values) == 0 {
		return errors.New(`"values" is missing or empty`)
	}
	seen := map[string]bool{}
	for i, v := range f.Values {
		if !upperSnake(v) {
			return fmt.Errorf("value %d %q is not UPPER_SNAKE_CASE of at most %d characters", i+1, echo(v), maxOpenValue)
		}
		if seen[v] {
			return fmt.Errorf("value %d %q is listed twice", i+1, v)
		}
		seen[v] = true
	}
	*l = newOpenList(l.field, f.Values, f.Strict)
	return nil
}
