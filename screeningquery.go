package kyc

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"
)

// ScreeningQuery is the body of POST /v1/screening/search: one name to screen, with what is
// known of the party.
type ScreeningQuery struct {
	Type        PartyKind `json:"type"` // person or organisation
	Name        string    `json:"name"`
	DateOfBirth BirthDate `json:"dateOfBirth,omitempty"` // YYYY-MM-DD or YYYY
	Country     string    `json:"country,omitempty"`     // ISO 3166-1 alpha-2
}

// maxScreenedName bounds a screened name; the longest listed names are about 250 characters.
const maxScreenedName = 300

// ParseBirthDate accepts YYYY-MM-DD (a real calendar date) or YYYY, from the year 1000.
func ParseBirthDate(s string) (BirthDate, error) {
	switch len(s) {
	case 4:
		if y, err := strconv.Atoi(s); err == nil && y >= 1000 {
			return BirthDate(s), nil
		}
	case 10:
		if _, err := time.Parse(time.DateOnly, s); err == nil {
			return BirthDate(s), nil
		}
	}
	return "", fmt.Errorf("date %q is neither YYYY-MM-DD nor YYYY", s)
}

// DecodeScreeningQuery reads {"data":{"attributes":{"type","name","dateOfBirth","country"}}},
// reporting every problem at once.
func DecodeScreeningQuery(body []byte) (ScreeningQuery, error) {
	doc, err := DecodeObject(body)
	if err != nil {
		return ScreeningQuery{}, err
	}
	var problems []FieldError
	attrs := onlyObject(doc, "", "data", &problems)
	attrs = onlyObject(attrs, "data", "attributes", &problems)
	q := screeningQueryFrom(attrs, &problems)
	if len(problems) > 0 {
		sortProblems(problems)
		return ScreeningQuery{}, Validation(problems)
	}
	return q, nil
}

func screeningQueryFrom(attrs map[string]any, problems *[]FieldError) ScreeningQuery {
	var q ScreeningQuery
	if attrs == nil {
		return q
	}
	add := func(p FieldError) { *problems = append(*problems, p) }
	const prefix = "data.attributes."
	for k, v := range attrs {
		s, isString := v.(string)
		switch at := prefix + k; {
		case k != "type" && k != "name" && k != "dateOfBirth" && k != "country":
			add(Invalid(at, "Unknown field `%s`", echo(k)))
		case !isString:
			add(Invalid(at, "%s must be a string", at))
		case k == "type":
			q.Type = PartyKind(s)
			if q.Type != PartyPerson && q.Type != PartyOrganisation {
				add(Invalid(at, "Invalid type. Must be in [\"person\", \"organisation\"]"))
			}
		case k == "name":
			q.Name = s
			if s == "" || hidden(s) || utf8.RuneCountInString(s) > maxScreenedName {
				add(Invalid(at, "%s must be 1 to %d characters without line breaks", at, maxScreenedName))
			}
		case k == "dateOfBirth":
			d, err := ParseBirthDate(s)
			if err != nil {
				add(Invalid(at, "%s must be YYYY-MM-DD or YYYY", at))
			}
			q.DateOfBirth = d
		case k == "country":
			q.Country = s
			if !CountryAssigned(s) {
				add(Invalid(at, "%s must be an ISO 3166-1 alpha-2 country code", at))
			}
		}
	}
	for _, k := range []string{"type", "name"} {
		if _, ok := attrs[k]; !ok {
			add(Missing(prefix + k))
		}
	}
	return q
}

// MarshalJSON writes q as the body DecodeScreeningQuery reads.
func (q ScreeningQuery) MarshalJSON() ([]byte, error) {
	type attributes ScreeningQuery
	var body struct {
		Data struct {
			Attributes attributes `json:"attributes"`
		} `json:"data"`
	}
	body.Data.Attributes = attributes(q)
	return json.Marshal(body)
}

// ScreeningResult is what a screening found, with what it ran against.
type ScreeningResult struct {
	AlgorithmVersion string         `json:"algorithmVersion"`
	Threshold        float64        `json:"threshold"`
	Lists            []ListSnapshot `json:"lists"` // the snapshots screened against
	Hits             []ScreeningHit `json:"hits"`
}

// NoActiveList refuses a screening when no sanctions list has been imported: an empty
// answer would read as "no hit".
func NoActiveList() *Error {
	return &Error{
		Status: http.StatusBadRequest, Code: CodeConditions, Message: "No sanctions list is active",
		Handling: "Import a list first (kyc lists import, kyc lists update, or kyc serve --lists-refresh).",
	}
}
