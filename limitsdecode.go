package kyc

import (
	"encoding/json"
	"strings"

	"github.com/openkyc/kyc/internal/schema"
)

// DecodeLimitRequest reads {"data":{"attributes":{"sourceOfWealth":{"<key>":{"document":
// "<url>"},"others":{"details","document"}}}}} for a profile of kind k, against that kind's
// own sourceOfWealth schema (required here, and not empty), and returns the value as
// checked. A key of the other registration type gets the message this endpoint publishes,
// "Invalid sourceOfwealth `investorFunds` for Personal customer profile."; its errors are
// in the errors[] envelope, as that published example.
func DecodeLimitRequest(body []byte, k *Kind) (json.RawMessage, error) {
	wealth, ok := k.Schema.Member("sourceOfWealth")
	if !ok || k.Model != ModelCPPlus {
		return nil, LimitsCPPlusOnly()
	}
	doc, err := DecodeObject(body)
	if err != nil {
		return nil, errorsShape(err)
	}
	r := schema.Validate(limitRequestSchema(*wealth, k), doc, &schema.Env{Ext: DefaultCatalog()})
	problems := fieldErrors(r.Problems)
	sow, _ := dig(r.Value, "data", "attributes", "sourceOfWealth").(map[string]any)
	if sow != nil && len(sow) == 0 {
		problems = append(problems, Invalid("data.attributes.sourceOfWealth", "sourceOfWealth must name at least one source of wealth"))
	}
	if len(problems) > 0 {
		return nil, errorsShape(validationOmitting(problems, r.Omitted))
	}
	return json.Marshal(sow)
}

// limitRequestSchema is the request body: the kind's sourceOfWealth under data.attributes,
// refusing the other type's keys in this endpoint's published words.
func limitRequestSchema(wealth schema.Field, k *Kind) *schema.Field {
	wealth.Required = true
	refused := make(map[string]string, len(wealth.Refused))
	for name := range wealth.Refused {
		refused[name] = "Invalid sourceOfwealth `" + name + "` for " + strings.ToUpper(k.RegistrationType[:1]) +
			k.RegistrationType[1:] + " customer profile."
	}
	wealth.Refused = refused
	attrs := schema.Field{Name: "attributes", Type: schema.Object, Required: true, Fields: []schema.Field{wealth}}
	return &schema.Field{Type: schema.Object, Fields: []schema.Field{
		{Name: "data", Type: schema.Object, Required: true, Fields: []schema.Field{attrs}},
	}}
}

// dig returns the member at the path of nested objects, nil when there is none.
func dig(v any, path ...string) any {
	for _, name := range path {
		m, _ := v.(map[string]any)
		v = m[name]
	}
	return v
}

// errorsShape moves a validation error to its row in the errors[] envelope, the shape of
// this endpoint's published example.
func errorsShape(err error) error {
	e := AsError(err)
	if e == nil {
		return err
	}
	if k := map[*ErrorKind]*ErrorKind{ErrInvalid: ErrInvalidListed, ErrMissing: ErrMissingListed}[e.Kind]; k != nil {
		e.Kind, e.Shape = k, k.Shape
	}
	return err
}

// DecodeLimitDecision reads the sandbox decision {"data":{"attributes":{"status":
// "approved"|"rejected","totalDailyTransactionLimit":"300000"}}}; the limit is required
// with approved, and refused with rejected.
func DecodeLimitDecision(body []byte) (LimitDecision, error) {
	var a attrReader
	attrs, err := a.attributes(body)
	if err != nil {
		return LimitDecision{}, err
	}
	const at = "data.attributes"
	var d LimitDecision
	limit, hasLimit := attrs["totalDailyTransactionLimit"]
	for k, v := range attrs {
		s, _ := v.(string)
		switch k {
		case "status":
			if d.Status = s; s != LimitRequestApproved && s != LimitRequestRejected {
				a.add(Invalid(at+".status", "Invalid status. Must be in [\"approved\", \"rejected\"]"))
			}
		case "totalDailyTransactionLimit":
			d.Granted = a.amount(at+"."+k, limit)
		default:
			a.add(Invalid(joinPath(at, k), "Unknown field `%s`", echo(k)))
		}
	}
	if attrs != nil {
		a.required(at, attrs, "status")
	}
	if d.Status == LimitRequestApproved && !hasLimit {
		a.add(Missing(at + ".totalDailyTransactionLimit"))
	}
	if d.Status == LimitRequestRejected && hasLimit {
		a.add(Invalid(at+".totalDailyTransactionLimit", "totalDailyTransactionLimit goes only with status approved"))
	}
	return d, a.err()
}

// amount reads a positive decimal string of dollars.
func (a *attrReader) amount(at string, v any) Amount {
	s, _ := v.(string)
	n, ok := ParseAmount(s)
	if !ok || n == 0 {
		a.add(Invalid(at, "%s must be a positive decimal string of US dollars, at most 6 decimals", at))
	}
	return n
}

// DecodeUsage reads the body of POST …/transaction-limits/usage: {"data":{"attributes":
// {"type":"payment"|"payout","amount":"12.50","reference":"<yours>"}}}.
func DecodeUsage(body []byte) (Usage, error) {
	var a attrReader
	attrs, err := a.attributes(body)
	if err != nil {
		return Usage{}, err
	}
	const at = "data.attributes"
	var u Usage
	for k, v := range attrs {
		switch k {
		case "type":
			if u.Kind, _ = v.(string); u.Kind != UsagePayment && u.Kind != UsagePayout {
				a.add(Invalid(at+".type", "Invalid type. Must be in [\"payment\", \"payout\"]"))
			}
		case "amount":
			u.Amount = a.amount(at+".amount", v)
		case "reference":
			u.Reference = a.text(at+".reference", v, 191)
		default:
			a.add(Invalid(joinPath(at, k), "Unknown field `%s`", echo(k)))
		}
	}
	if attrs != nil {
		a.required(at, attrs, "type", "amount", "reference")
	}
	return u, a.err()
}
