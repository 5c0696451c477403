package screening

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openkyc/kyc"
)

// ScreenProfile screens every subject of a profile (ProfileSubjects) against the index, at
// DefaultThreshold, and gives each hit its id and fingerprint. Resolutions are the store's
// to attach. It does no I/O: it runs inside the transaction that writes the profile.
func (ix *Index) ScreenProfile(p *kyc.Profile, now time.Time) *kyc.ProfileScreening {
	s := &kyc.ProfileScreening{ProfileID: p.ID, ScreenedAt: now.UTC().Truncate(time.Second),
		AlgorithmVersion: AlgorithmVersion, Threshold: DefaultThreshold, Lists: ix.Lists(),
		Subjects: ProfileSubjects(p), Hits: []kyc.ProfileHit{}}
	if s.Lists == nil {
		s.Lists = []kyc.ListSnapshot{}
	}
	for _, subj := range s.Subjects {
		for _, h := range ix.Screen(subjectOf(subj), DefaultThreshold) {
			s.Hits = append(s.Hits, kyc.ProfileHit{ID: HitID(subj, h), Subject: subj.Path,
				Fingerprint: Fingerprint(subj, h), ScreeningHit: h})
		}
	}
	return s
}

func subjectOf(s kyc.ScreenedSubject) Subject {
	return Subject{Kind: s.Type, Role: s.Role, Name: s.Name, Aliases: s.Aliases, DateOfBirth: s.DateOfBirth, Countries: s.Countries}
}

// HitID names a hit by the subject's place in the profile and the list entry, so that the
// same match keeps its id from one screening to the next.
func HitID(s kyc.ScreenedSubject, h kyc.ScreeningHit) string {
	sum := sha256.Sum256([]byte(s.Path + "\x00" + h.List + "\x00" + h.Entry.Ref))
	return "hit_" + hex.EncodeToString(sum[:8])
}

// Fingerprint is the SHA-256 of what a hit was found from: the subject's screened data
// (not its place) and the list entry (not the snapshot). A resolution keyed by it holds
// while neither changes.
func Fingerprint(s kyc.ScreenedSubject, h kyc.ScreeningHit) string {
	s.Path = ""
	b, err := json.Marshal(struct {
		Subject kyc.ScreenedSubject `json:"subject"`
		List    string              `json:"list"`
		Entry   kyc.ListEntry       `json:"entry"`
	}{s, h.List, h.Entry})
	if err != nil {
		panic("screening: fingerprint: " + err.Error()) // strings and slices of strings
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ProfileSubjects are the parties of a profile to screen: the customer (a person, or for a
// business profile the company under its name, trading name and native name) and, for a
// business profile, every director, beneficial owner and the trader.
func ProfileSubjects(p *kyc.Profile) []kyc.ScreenedSubject {
	d := p.Data
	if p.Kind.RegistrationType != kyc.RegistrationBusiness {
		return []kyc.ScreenedSubject{personal(d)}
	}
	out := []kyc.ScreenedSubject{company(d)}
	for i, dir := range objects(d["directors"]) {
		out = append(out, officer(dir, fmt.Sprintf("directors[%d]", i), kyc.RoleDirector))
	}
	for i, o := range objects(d["beneficialOwners"]) {
		out = append(out, officer(o, fmt.Sprintf("beneficialOwners[%d]", i), kyc.RoleBeneficialOwner))
	}
	if t, ok := d["trader"].(map[string]any); ok {
		out = append(out, officer(t, "trader", kyc.RoleTrader))
	}
	return out
}

// personal is the customer of a personal profile: the first and last names as the name
// (customerName when they are absent, as in a regular CP), the other names as aliases.
func personal(d kyc.Data) kyc.ScreenedSubject {
	name := joinNames(text(d, "customerFirstName"), text(d, "customerLastName"))
	aliases := []string{text(d, "customerName"), text(d, "customerNativeName")}
	if name == "" {
		name, aliases = aliases[0], aliases[1:]
	}
	return kyc.ScreenedSubject{Role: kyc.RoleCustomer, Type: Person, Name: name, Aliases: distinct(name, aliases),
		DateOfBirth: birth(text(d, "dateOfBirth")), Countries: countries(nationality(text(d, "nationality")), text(d, "countryOfResidence"))}
}

func company(d kyc.Data) kyc.ScreenedSubject {
	name := text(d, "customerName")
	return kyc.ScreenedSubject{Role: kyc.RoleCustomer, Type: Organisation, Name: name,
		Aliases: distinct(name, []string{text(d, "tradingName"), text(d, "customerNativeName")}),
		Countries: countries(text(d, "countryOfIncorporation"), text(d, "placeOfBizCountry"),
			text(object(d["address"]), "country"), text(object(d["operatingAddress"]), "country"))}
}

func officer(m map[string]any, path, role string) kyc.ScreenedSubject {
	name := joinNames(text(m, "firstName"), text(m, "middleName"), text(m, "lastName"))
	return kyc.ScreenedSubject{Path: path, Role: role, Type: Person, Name: name,
		Aliases: distinct(name, []string{text(m, "nativeName")}), DateOfBirth: birth(text(m, "dateOfBirth")),
		Countries: countries(nationality(text(m, "nationality")), text(m, "countryOfResidence"))}
}

func text(m map[string]any, name string) string {
	s, _ := m[name].(string)
	return strings.TrimSpace(s)
}

func object(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func objects(v any) []map[string]any {
	items, _ := v.([]any)
	out := make([]map[string]any, 0, len(items))
	for _, item := range items {
		if m, ok := item.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func joinNames(parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " ")
}

// distinct drops the empty aliases and those equal to the name or to one before.
func distinct(name string, aliases []string) []string {
	var out []string
	for _, a := range aliases {
		if a != "" && !strings.EqualFold(a, name) && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, a) }) {
			out = append(out, a)
		}
	}
	return out
}

func birth(s string) kyc.BirthDate {
	d, err := kyc.ParseBirthDate(s)
	if err != nil {
		return ""
	}
	return d
}

func nationality(s string) string {
	code, _ := kyc.NationalityCode(s)
	return code
}

// countries keeps the assigned codes, each once, in order.
func countries(codes ...string) []string {
	var out []string
	for _, c := range codes {
		if kyc.CountryAssigned(c) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
