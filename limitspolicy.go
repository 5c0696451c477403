package kyc

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"slices"
)

// defaultLimitsPolicy is the built-in policy; StraitsX's own tiers are not published
// ("Transaction Limit Tiers": NOT FOUND), so these are ours. See README.md.
//
//go:embed policy/limits.json
var defaultLimitsPolicy []byte

// LimitsPolicy says which tier a profile's data earns, per kind of profile. The tiers of a
// kind are tried in order; the first whose conditions all hold is the profile's. The last
// tier of each kind has no conditions, so that every profile earns one.
type LimitsPolicy struct {
	Personal []Tier `json:"personal"`
	Business []Tier `json:"business"`
}

// Tier is one set of limits and the profile attributes that earn it: each attribute named
// in When must have one of its listed values. Amounts are decimal strings of dollars; for a
// personal profile Payment and Payout are per rolling year, for a business one per day.
type Tier struct {
	Name            string              `json:"tier"`
	When            map[string][]string `json:"when,omitempty"`
	Payment         string              `json:"payment"`
	Payout          string              `json:"payout"`
	TransactionSize string              `json:"transactionSize"`

	payment, payout, size Amount
}

// DefaultLimitsPolicy returns the built-in policy.
func DefaultLimitsPolicy() *LimitsPolicy {
	p, err := ParseLimitsPolicy(defaultLimitsPolicy)
	if err != nil {
		panic("kyc: the built-in limits policy is invalid: " + err.Error()) // a test keeps it valid
	}
	return p
}

// LoadLimitsPolicy reads a policy file (--limits-policy), in the built-in policy's format.
func LoadLimitsPolicy(path string) (*LimitsPolicy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("limits policy: %w", err)
	}
	p, err := ParseLimitsPolicy(b)
	if err != nil {
		return nil, fmt.Errorf("limits policy %s: %w", path, err)
	}
	return p, nil
}

// ParseLimitsPolicy reads a policy strictly: unknown members, bad amounts, a kind without
// tiers, a repeated tier name or a last tier with conditions are refused.
func ParseLimitsPolicy(b []byte) (*LimitsPolicy, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p LimitsPolicy
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	for kind, tiers := range map[string][]Tier{"personal": p.Personal, "business": p.Business} {
		if err := checkTiers(kind, tiers); err != nil {
			return nil, err
		}
	}
	return &p, nil
}

func checkTiers(kind string, tiers []Tier) error {
	if len(tiers) == 0 || len(tiers[len(tiers)-1].When) > 0 {
		return fmt.Errorf("%s: at least one tier, the last without conditions", kind)
	}
	var names []string
	for i := range tiers {
		t := &tiers[i]
		var ok [3]bool
		t.payment, ok[0] = ParseAmount(t.Payment)
		t.payout, ok[1] = ParseAmount(t.Payout)
		t.size, ok[2] = ParseAmount(t.TransactionSize)
		if t.Name == "" || slices.Contains(names, t.Name) || slices.Contains(ok[:], false) {
			return fmt.Errorf("%s tier %d: a unique name and payment, payout and transactionSize as decimal strings of dollars", kind, i+1)
		}
		names = append(names, t.Name)
	}
	return nil
}

// TierFor returns the tier a profile of the kind earns with its attributes.
func (p *LimitsPolicy) TierFor(business bool, attrs map[string]any) *Tier {
	tiers := p.Personal
	if business {
		tiers = p.Business
	}
	for i := range tiers {
		if tiers[i].holds(attrs) {
			return &tiers[i]
		}
	}
	return &tiers[len(tiers)-1] // unreachable: the last tier always holds
}

func (t *Tier) holds(attrs map[string]any) bool {
	for name, values := range t.When {
		v, _ := attrs[name].(string)
		if !slices.Contains(values, v) {
			return false
		}
	}
	return true
}

// Limits computes a profile's limits: zero unless verified; else the tier's, each total
// raised to granted when an approval granted more; with the usage of the current period.
func (p *LimitsPolicy) Limits(s LimitSubject, granted *Amount, paidIn, paidOut Amount) *Limits {
	l := &Limits{ProfileID: s.ProfileID, Business: s.Business, PaidIn: paidIn, PaidOut: paidOut}
	if s.Status != StatusVerified {
		return l
	}
	t := p.TierFor(s.Business, s.Attributes)
	l.Verified, l.Tier = true, t.Name
	l.Payment, l.Payout, l.TransactionSize = t.payment, t.payout, t.size
	if granted != nil && (*granted > l.Payment || *granted > l.Payout) {
		l.Payment, l.Payout, l.Granted = max(l.Payment, *granted), max(l.Payout, *granted), true
	}
	return l
}
