package kyc

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// readOnly are the members a profile document shows but an update cannot set: the service
// keeps them. A client that sends back a document it read gets told so, field by field.
var readOnly = []string{
	"verificationStatus", "createdAt", "updatedAt",
	"isRetryable", "verificationRejectionSummary", "riskRating",
}

// UpdatePersonal applies an update body to stored attributes: RFC 7396 JSON Merge Patch
// (nested objects merge by key, null removes a member), then every create rule again on the
// merged document, conditional rules included. registrationType cannot change: a personal
// profile does not become a business one. Problems are reported like a create's.
func (c *Catalog) UpdatePersonal(current *Personal, patch map[string]any, now time.Time) (*Personal, error) {
	if problems := refuseFixed(current, patch); len(problems) > 0 {
		return nil, Validation(problems)
	}
	stored, err := json.Marshal(current)
	if err != nil {
		return nil, err
	}
	doc, err := DecodeObject(stored)
	if err != nil {
		return nil, err
	}
	return c.ValidatePersonal(MergePatch(doc, patch), now)
}

func refuseFixed(current *Personal, patch map[string]any) []FieldError {
	var problems []FieldError
	if v, ok := patch["registrationType"]; ok && v != current.RegistrationType {
		problems = append(problems, Invalid("registrationType", "registrationType cannot be changed"))
	}
	for _, name := range readOnly {
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
