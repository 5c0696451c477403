package kyc

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// DecodeDecision reads the body of the sandbox status endpoint:
// {"data":{"attributes":{"verificationStatus":"rejected","rejectionCodes":[101],
// "isRetryable":true,"verificationRejectionSummary":"…"}}}. Only verificationStatus is
// required; every problem is reported at once, members named by their path.
func DecodeDecision(body []byte) (Decision, error) {
	doc, err := DecodeObject(body)
	if err != nil {
		return Decision{}, err
	}
	var problems []FieldError
	attrs := onlyObject(doc, "", "data", &problems)
	attrs = onlyObject(attrs, "data", "attributes", &problems)
	d := decisionFrom(attrs, &problems)
	if len(problems) > 0 {
		return Decision{}, Validation(problems)
	}
	return d, nil
}

// MarshalJSON writes d as the body of the sandbox status endpoint, the form DecodeDecision
// reads back: the client sends a Decision in the same shape the server decodes.
func (d Decision) MarshalJSON() ([]byte, error) {
	type attributes struct {
		Status    Status `json:"verificationStatus"`
		Codes     []int  `json:"rejectionCodes,omitempty"`
		Retryable *bool  `json:"isRetryable,omitempty"`
		Summary   string `json:"verificationRejectionSummary,omitempty"`
	}
	var body struct {
		Data struct {
			Attributes attributes `json:"attributes"`
		} `json:"data"`
	}
	body.Data.Attributes = attributes(d)
	return json.Marshal(body)
}

// onlyObject returns obj[name], which must be an object and the only member of obj.
func onlyObject(obj map[string]any, path, name string, problems *[]FieldError) map[string]any {
	at := joinPath(path, name)
	if obj == nil {
		return nil
	}
	for k := range obj {
		if k != name {
			*problems = append(*problems, Invalid(joinPath(path, k), "Unknown field `%s`", echo(joinPath(path, k))))
		}
	}
	v, ok := obj[name]
	if !ok || v == nil {
		*problems = append(*problems, Missing(at))
		return nil
	}
	inner, ok := v.(map[string]any)
	if !ok {
		*problems = append(*problems, Invalid(at, "%s must be an object", at))
	}
	return inner
}

const maxSummary = 1000

func decisionFrom(attrs map[string]any, problems *[]FieldError) Decision {
	var d Decision
	if attrs == nil {
		return d
	}
	add := func(p FieldError) { *problems = append(*problems, p) }
	const prefix = "data.attributes."
	for k, v := range attrs {
		switch at := prefix + k; k {
		case "verificationStatus":
			s, ok := v.(string)
			if !ok || s != string(StatusVerified) && s != string(StatusRejected) {
				add(Invalid(at, "Invalid verificationStatus. Must be in [\"verified\", \"rejected\"]"))
			}
			d.Status = Status(s)
		case "rejectionCodes":
			d.Codes = codes(at, v, add)
		case "isRetryable":
			b, ok := v.(bool)
			if !ok {
				add(Invalid(at, "%s must be a boolean", at))
			}
			d.Retryable = &b
		case "verificationRejectionSummary":
			s, ok := v.(string)
			if !ok || s == "" || hidden(s) || utf8.RuneCountInString(s) > maxSummary {
				add(Invalid(at, "%s must be 1 to %d characters without line breaks", at, maxSummary))
			}
			d.Summary = s
		default:
			add(Invalid(at, "Unknown field `%s`", echo(k)))
		}
	}
	if _, ok := attrs["verificationStatus"]; !ok {
		add(Missing(prefix + "verificationStatus"))
	}
	sortProblems(*problems)
	return d
}

func codes(at string, v any, add func(FieldError)) []int {
	items, ok := v.([]any)
	if !ok {
		add(Invalid(at, "%s must be an array of rejection codes", at))
		return nil
	}
	out := make([]int, 0, len(items))
	for i, item := range items {
		n, ok := item.(json.Number)
		code, err := strconv.Atoi(string(n))
		if !ok || err != nil {
			add(Invalid(indexPath(at, i), "%s must be an integer rejection code", indexPath(at, i)))
			continue
		}
		out = append(out, code)
	}
	return out
}
