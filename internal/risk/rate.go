package risk

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Input is what a rating looks at: the profile's answers (band codes as the API takes them)
// and what screening found. The caller fills it from a profile of any kind.
type Input struct {
	// Countries are the customer's countries, each with the field it came from:
	// countryOfResidence and nationality for a person; incorporation and operating
	// countries for a company.
	Countries []Country

	Occupation string // the catalog's code ("" when not asked)
	Industry   string // businessIndustry

	AnnualIncome          string // band: 0_TO_30000 … GT_500000
	TotalWealth           string // band: 0_TO_500000 … GT_10000000
	ExpectedAnnualVolume  string // band: expectedAnnualTransactionAmount
	ExpectedMonthlyVolume string // band of a company's monthly volume (counted ×12)

	PurposeOfAccount string // OTHERS is a factor
	SourceOfWealth   bool   // a source of wealth was given

	SanctionsHits      int // sanctions hits unresolved or confirmed as true matches
	PEPHits            int // politically exposed person hits likewise
	IntermediaryLayers int // companies between the customer and its ultimate owners
}

// Country is one of the customer's countries and the field it came from.
type Country struct {
	Field   string `json:"field"`
	Country string `json:"country"`
}

// Rating is the result: a level, the score, every factor that counted, and the version of
// the rules that made it.
type Rating struct {
	Level        Level    `json:"level"`
	Score        int      `json:"score"`
	Factors      []Factor `json:"factors"`
	RulesVersion string   `json:"rulesVersion"`
}

// Level is a rating's level.
type Level string

// The levels, lowest first.
const (
	Low        Level = "low"
	Medium     Level = "medium"
	High       Level = "high"
	Prohibited Level = "prohibited"
)

// Factor is one reason for points: a code (README "Risk rules" lists them), its points and a
// detail a reviewer can read.
type Factor struct {
	Code       string `json:"code"`
	Points     int    `json:"points"`
	Detail     string `json:"detail"`
	prohibited bool
}

// The factor codes besides COUNTRY_<list code>.
const (
	FactorOccupation        = "OCCUPATION"
	FactorIndustry          = "INDUSTRY"
	FactorVolumeAboveIncome = "VOLUME_ABOVE_INCOME"
	FactorIncomeAboveWealth = "INCOME_ABOVE_WEALTH"
	FactorPurposeOthers     = "PURPOSE_OTHERS"
	FactorNoSourceOfWealth  = "NO_SOURCE_OF_WEALTH"
	FactorSanctionsHit      = "SANCTIONS_HIT"
	FactorPEPHit            = "PEP_HIT"
	FactorIntermediaries    = "INTERMEDIARIES"
)

// Rate rates in against the rules. It is a pure function: the same input and rules always
// give the same rating, factors in a fixed order.
func (r *Rules) Rate(in Input) Rating {
	var factors []Factor
	add := func(f Factor) {
		if f.Points > 0 || f.prohibited {
			factors = append(factors, f)
		}
	}
	for _, f := range r.countryFactors(in.Countries) {
		add(f)
	}
	if p, ok := r.Occupations[in.Occupation]; ok {
		add(Factor{Code: FactorOccupation, Points: p, Detail: "occupation " + in.Occupation})
	}
	if p, ok := r.Industries[in.Industry]; ok {
		add(Factor{Code: FactorIndustry, Points: p, Detail: "businessIndustry " + in.Industry})
	}
	for _, f := range r.financialFactors(in) {
		add(f)
	}
	for _, f := range r.screeningFactors(in) {
		add(f)
	}
	return r.rating(factors)
}

func (r *Rules) rating(factors []Factor) Rating {
	rt := Rating{Level: Low, Factors: factors, RulesVersion: r.Version}
	if rt.Factors == nil {
		rt.Factors = []Factor{}
	}
	prohibited := false
	for _, f := range factors {
		rt.Score += f.Points
		prohibited = prohibited || f.prohibited
	}
	switch {
	case prohibited:
		rt.Level = Prohibited
	case rt.Score >= r.Levels.High:
		rt.Level = High
	case rt.Score >= r.Levels.Medium:
		rt.Level = Medium
	}
	return rt
}

// countryFactors gives one factor per country list that any of the customer's countries is
// on, naming every field that put it there.
func (r *Rules) countryFactors(countries []Country) []Factor {
	var out []Factor
	for _, l := range r.CountryLists {
		var on []string
		for _, c := range countries {
			if slices.Contains(l.Countries, c.Country) {
				on = append(on, c.Field+" "+c.Country)
			}
		}
		if len(on) > 0 {
			out = append(out, Factor{Code: "COUNTRY_" + l.Code, Points: l.Points, prohibited: l.Prohibited,
				Detail: strings.Join(on, ", ") + ": " + l.Source})
		}
	}
	return out
}

func (r *Rules) financialFactors(in Input) []Factor {
	var out []Factor
	income, incomeOK := parseBand(in.AnnualIncome)
	wealth, wealthOK := parseBand(in.TotalWealth)
	volume, volumeOK := parseBand(in.ExpectedAnnualVolume)
	if monthly, ok := parseBand(in.ExpectedMonthlyVolume); ok && !volumeOK {
		volume, volumeOK = band{monthly.low * 12, monthly.high * 12}, true
	}
	if volumeOK && incomeOK && volume.low > income.high {
		out = append(out, Factor{Code: FactorVolumeAboveIncome, Points: r.VolumeAboveIncome,
			Detail: fmt.Sprintf("expected yearly volume of at least %d above a yearly income of at most %d", volume.low, income.high)})
	}
	if incomeOK && wealthOK && income.low > wealth.high {
		out = append(out, Factor{Code: FactorIncomeAboveWealth, Points: r.IncomeAboveWealth,
			Detail: fmt.Sprintf("yearly income of at least %d above a total wealth of at most %d", income.low, wealth.high)})
	}
	if in.PurposeOfAccount == "OTHERS" {
		out = append(out, Factor{Code: FactorPurposeOthers, Points: r.PurposeOthers, Detail: "purposeOfAccount OTHERS"})
	}
	if m := r.MissingSourceOfWealth; !in.SourceOfWealth && wealthOK && wealth.low >= m.FromWealth {
		out = append(out, Factor{Code: FactorNoSourceOfWealth, Points: m.Points,
			Detail: fmt.Sprintf("no source of wealth for a total wealth of at least %d", wealth.low)})
	}
	return out
}

func (r *Rules) screeningFactors(in Input) []Factor {
	var out []Factor
	if in.SanctionsHits > 0 {
		out = append(out, Factor{Code: FactorSanctionsHit, Points: r.SanctionsHit.Points, prohibited: r.SanctionsHit.Prohibited,
			Detail: fmt.Sprintf("%d sanctions hit(s) unresolved or confirmed", in.SanctionsHits)})
	}
	if in.PEPHits > 0 {
		out = append(out, Factor{Code: FactorPEPHit, Points: r.PEPHit, Detail: fmt.Sprintf("%d PEP hit(s)", in.PEPHits)})
	}
	if n := in.IntermediaryLayers; n > 0 {
		out = append(out, Factor{Code: FactorIntermediaries, Points: min(n*r.Intermediaries.PerLayer, r.Intermediaries.Max),
			Detail: fmt.Sprintf("owned through %d layer(s) of intermediaries", n)})
	}
	return out
}

// band is the range of an amount band code: "30001_TO_50000", "GT_500000" (from 500001 up).
type band struct{ low, high int64 }

func parseBand(s string) (band, bool) {
	if rest, ok := strings.CutPrefix(s, "GT_"); ok {
		n, err := strconv.ParseInt(rest, 10, 64)
		return band{n + 1, math.MaxInt64}, err == nil
	}
	lo, hi, ok := strings.Cut(s, "_TO_")
	if !ok {
		return band{}, false
	}
	a, err1 := strconv.ParseInt(lo, 10, 64)
	b, err2 := strconv.ParseInt(hi, 10, 64)
	return band{a, b}, err1 == nil && err2 == nil && a <= b
}
