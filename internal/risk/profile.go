package risk

import (
	"github.com/openkyc/kyc"
)

// RateProfile rates a profile with its latest screening (nil: none yet) and gives the
// rating in the shape the profile document shows. Like Rate it is pure: it runs inside the
// transaction that writes the profile.
func (r *Rules) RateProfile(p *kyc.Profile, s *kyc.ProfileScreening) *kyc.RiskAssessment {
	rt := r.Rate(InputOf(p, s))
	a := &kyc.RiskAssessment{Level: string(rt.Level), Score: rt.Score, RulesVersion: rt.RulesVersion,
		Factors: make([]kyc.RiskFactor, len(rt.Factors))}
	for i, f := range rt.Factors {
		a.Factors[i] = kyc.RiskFactor{Code: f.Code, Points: f.Points, Detail: f.Detail}
	}
	return a
}

// InputOf reads what a rating looks at from a profile of any kind and its screening.
// Screening hits count when unresolved or confirmed as true matches; the lists carry no
// PEP data, so PEPHits stays 0.
func InputOf(p *kyc.Profile, s *kyc.ProfileScreening) Input {
	d := p.Data
	in := Input{
		Occupation: text(d, "occupation"), Industry: text(d, "businessIndustry"),
		AnnualIncome: text(d, "annualIncome"), TotalWealth: text(d, "totalWealth"),
		ExpectedAnnualVolume: text(d, "expectedAnnualTransactionAmount"), ExpectedMonthlyVolume: text(d, "monthlyTransactionVolume"),
		PurposeOfAccount: text(d, "purposeOfAccount"), SourceOfWealth: d["sourceOfWealth"] != nil,
	}
	if in.Industry == "" {
		in.Industry = text(d, "natureOfBusiness")
	}
	if code, ok := kyc.NationalityCode(text(d, "nationality")); ok {
		in.Countries = append(in.Countries, Country{Field: "nationality", Country: code})
	}
	for _, f := range []struct{ field, country string }{
		{"countryOfResidence", text(d, "countryOfResidence")},
		{"countryOfIncorporation", text(d, "countryOfIncorporation")},
		{"placeOfBizCountry", text(d, "placeOfBizCountry")},
		{"operatingAddress.country", text(object(d["operatingAddress"]), "country")},
	} {
		if f.country != "" {
			in.Countries = append(in.Countries, Country{Field: f.field, Country: f.country})
		}
	}
	if d["intermediaries"] == true {
		docs, _ := d["intermediariesDocuments"].([]any)
		in.IntermediaryLayers = max(1, len(docs))
	}
	if s != nil {
		unresolved, confirmed := s.Unresolved()
		in.SanctionsHits = unresolved + confirmed
	}
	return in
}

func text(m map[string]any, name string) string {
	s, _ := m[name].(string)
	return s
}

func object(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
