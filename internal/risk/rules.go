// Package risk rates a customer's risk from a rules file: documented factors, each worth
// points, summed into a score and a level (low, medium, high, prohibited), every factor
// listed with its detail, so that a reviewer sees why. Rate is a pure function of its input
// and the rules.
package risk

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/openkyc/kyc"
)

//go:embed default.yaml
var defaultRules []byte

// Rules are a parsed, checked rules file.
type Rules struct {
	Version      string         `yaml:"version"`
	Levels       Levels         `yaml:"levels"`
	CountryLists []CountryList  `yaml:"countryLists"`
	Occupations  map[string]int `yaml:"occupations"`
	Industries   map[string]int `yaml:"industries"`

	VolumeAboveIncome     int                   `yaml:"volumeAboveIncome"`
	IncomeAboveWealth     int                   `yaml:"incomeAboveWealth"`
	PurposeOthers         int                   `yaml:"purposeOthers"`
	MissingSourceOfWealth MissingSourceOfWealth `yaml:"missingSourceOfWealth"`
	SanctionsHit          Points                `yaml:"sanctionsHit"`
	PEPHit                int                   `yaml:"pepHit"`
	Intermediaries        Intermediaries        `yaml:"intermediaries"`
}

// Levels are the scores from which a rating is medium and high.
type Levels struct {
	Medium int `yaml:"medium"`
	High   int `yaml:"high"`
}

// CountryList is a dated list of countries, worth points when a customer's country is on it.
type CountryList struct {
	Code       string   `yaml:"code"`
	Source     string   `yaml:"source"`
	Countries  []string `yaml:"countries"`
	Points     int      `yaml:"points"`
	Prohibited bool     `yaml:"prohibited"`
}

// Points are a factor's points, and whether it prohibits the relationship outright.
type Points struct {
	Points     int  `yaml:"points"`
	Prohibited bool `yaml:"prohibited"`
}

// MissingSourceOfWealth is worth Points when no source of wealth is given while total
// wealth is at least FromWealth.
type MissingSourceOfWealth struct {
	FromWealth int64 `yaml:"fromWealth"`
	Points     int   `yaml:"points"`
}

// Intermediaries are worth PerLayer points per layer of ownership, at most Max.
type Intermediaries struct {
	PerLayer int `yaml:"perLayer"`
	Max      int `yaml:"max"`
}

// maxPoints bounds any one factor's points; maxRulesBytes a rules file.
const (
	maxPoints     = 1000
	maxRulesBytes = 1 << 20
)

// Default returns the embedded default rules.
func Default() *Rules {
	r, err := Parse(defaultRules)
	if err != nil {
		panic("risk: the embedded rules are invalid: " + err.Error()) // a test keeps them valid
	}
	return r
}

// Load reads and checks a rules file.
func Load(path string) (*Rules, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("risk rules: %w", err)
	}
	r, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("risk rules %s: %w", path, err)
	}
	return r, nil
}

// Parse reads rules strictly (an unknown or misspelt key is an error, not a silent default)
// and checks them.
func Parse(b []byte) (*Rules, error) {
	if len(b) > maxRulesBytes {
		return nil, fmt.Errorf("larger than %d bytes", maxRulesBytes)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var r Rules
	if err := dec.Decode(&r); err != nil {
		return nil, err
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	return &r, nil
}

func (r *Rules) check() error {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if strings.TrimSpace(r.Version) == "" {
		bad("version is required")
	}
	if r.Levels.Medium <= 0 || r.Levels.High <= r.Levels.Medium {
		bad("levels: want 0 < medium < high, got medium %d, high %d", r.Levels.Medium, r.Levels.High)
	}
	seen := map[string]bool{}
	for i, l := range r.CountryLists {
		if l.Code == "" || seen[l.Code] || l.Source == "" || len(l.Countries) == 0 {
			bad("countryLists[%d]: a unique code, a source and countries are required", i)
		}
		seen[l.Code] = true
		for _, c := range l.Countries {
			if !kyc.CountryAssigned(c) {
				bad("countryLists[%d] %s: %q is not an ISO 3166-1 alpha-2 code", i, l.Code, c)
			}
		}
		checkPoints(bad, "countryLists."+l.Code, l.Points)
	}
	for _, m := range []map[string]int{r.Occupations, r.Industries} {
		for code, p := range m {
			checkPoints(bad, code, p)
		}
	}
	for name, p := range map[string]int{"volumeAboveIncome": r.VolumeAboveIncome, "incomeAboveWealth": r.IncomeAboveWealth,
		"purposeOthers": r.PurposeOthers, "missingSourceOfWealth": r.MissingSourceOfWealth.Points,
		"sanctionsHit": r.SanctionsHit.Points, "pepHit": r.PEPHit, "intermediaries.perLayer": r.Intermediaries.PerLayer,
		"intermediaries.max": r.Intermediaries.Max} {
		checkPoints(bad, name, p)
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

func checkPoints(bad func(string, ...any), name string, p int) {
	if p < 0 || p > maxPoints {
		bad("%s: points must be 0 to %d, not %d", name, maxPoints, p)
	}
}
