package kyc

import (
	"slices"
	"strings"
	"time"
)

// Update applies an update body to a profile's stored data: RFC 7396 JSON Merge Patch
// (nested objects merge by key, null removes a member, arrays are replaced whole), then
// every create rule of its kind again on the merged document, conditional rules included.
// registrationType cannot change: a personal profile does not become a business one. The
// members the service keeps are refused by name. Problems are reported like a create's.
func (c *Catalog) Update(k *Kind, current Data, patch map[string]any, now time.Time) (Data, error) {
	if problems := refuseFixed(current, patch); len(problems) > 0 {
		return nil, Validation(problems)
	}
	return c.Validate(k, MergePatch(current, patch), now)
}

func refuseFixed(current Data, patch map[string]any) []FieldError {
	var problems []FieldError
	if v, ok := patch["registrationType"]; ok && v != current["registrationType"] {
		problems = append(problems, Invalid("registrationType", "registrationType cannot be changed"))
	}
	for _, name := range serviceMembers {
		if _, ok := patch[name]; ok {
			problems = append(problems, Invalid(name, "%s is set by the service and cannot be updated", name))
		}
	}
	sortProblems(problems)
	return problems
}

// sortProblems orders problems by field, so that a map's random order never shows.
func sortProblems(problems []FieldError) {
	slices.SortStableFunc(problems, func(a, b FieldError) int { return strings.Compare(a.Field, b.Field) })
}
