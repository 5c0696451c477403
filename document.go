package kyc

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	"github.com/openkyc/kyc/internal/schema"
)

// ResourceType is the JSON:API type of a customer profile.
const ResourceType = "customer_profile"

// Document is the JSON:API body that carries one profile, in responses and in webhooks.
type Document struct {
	Data Resource `json:"data"`
}

// Resource is a profile as the API shows it.
type Resource struct {
	ID         string        `json:"id"`
	Type       string        `json:"type"`
	Attributes Attributes    `json:"attributes"`
	Meta       *ResourceMeta `json:"meta,omitempty"`
}

// Attributes are the stored fields echoed back, in the order of the kind's schema, then
// the service's own. A client reads the fields with Decode into the kind's typed view
// (Personal, Business, …) or with Text.
type Attributes struct {
	Kind *Kind `json:"-"` // orders Data when set (the server); nil in a decoded document
	Data Data  `json:"-"`
	// Encoded is Data as Kind.EncodeData writes it, when the store has those bytes at hand
	// (Profile.Encoded); they are written as they are instead of being encoded again.
	Encoded []byte `json:"-"`

	Service
}

// Service are the members the service keeps, not the platform.
type Service struct {
	VerificationStatus Status    `json:"verificationStatus"`
	CreatedAt          time.Time `json:"createdAt"`
	UpdatedAt          time.Time `json:"updatedAt"`

	// A rejected profile's rejection, in the shape of the published callbacks.
	IsRetryable                  *bool       `json:"isRetryable,omitempty"`
	VerificationRejectionSummary string      `json:"verificationRejectionSummary,omitempty"`
	RiskRating                   *RiskRating `json:"riskRating,omitempty"`

	// When the business relationship ended, and when the personal data was erased (a
	// tombstone: no other attributes are left).
	ClosedAt *time.Time `json:"closedAt,omitempty"`
	ErasedAt *time.Time `json:"erasedAt,omitempty"`
}

// serviceMembers are the JSON names of Service, which an update cannot set.
var serviceMembers = []string{
	"verificationStatus", "createdAt", "updatedAt",
	"isRetryable", "verificationRejectionSummary", "riskRating", "closedAt", "erasedAt",
}

// MarshalJSON writes the data members, then the service's, as one object.
func (a Attributes) MarshalJSON() ([]byte, error) {
	return a.appendJSON(nil)
}

// appendJSON appends the data members, from Encoded when set, then the service's.
func (a *Attributes) appendJSON(buf []byte) ([]byte, error) {
	var err error
	switch {
	case a.Encoded != nil:
		buf = append(buf, a.Encoded...)
	case a.Kind != nil:
		buf, err = schema.AppendObject(buf, a.Kind.Schema, a.Data)
	default:
		var data []byte
		data, err = json.Marshal(a.Data)
		buf = append(buf, data...)
	}
	if err != nil {
		return nil, err
	}
	service, err := json.Marshal(a.Service)
	if err != nil {
		return nil, err
	}
	return splice(buf, service), nil
}

// splice joins two JSON objects into one: b's members are appended to a, in place.
func splice(a, b []byte) []byte {
	a = bytes.TrimSuffix(a, []byte("}"))
	if a[len(a)-1] != '{' {
		a = append(a, ',')
	}
	return append(a, b[1:]...)
}

// UnmarshalJSON reads the service's members into Service and the rest into Data.
func (a *Attributes) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &a.Service); err != nil {
		return err
	}
	if err := json.Unmarshal(b, &a.Data); err != nil {
		return err
	}
	if a.Data == nil {
		return errors.New("profile attributes are not a JSON object")
	}
	for _, name := range serviceMembers {
		delete(a.Data, name)
	}
	return nil
}

// Decode reads the data members into v, a typed view such as *Personal or *Business.
func (a *Attributes) Decode(v any) error {
	b, err := json.Marshal(a.Data)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// Text returns the top-level string member name of the data, or "".
func (a *Attributes) Text(name string) string {
	s, _ := a.Data[name].(string)
	return s
}

// ResourceMeta carries what the service noticed about an accepted profile. It is an
// addition to the published contract; clients that do not know it can ignore it.
type ResourceMeta struct {
	Warnings []Warning `json:"warnings,omitempty"`
}

// NewDocument builds the JSON:API document of a profile. Timestamps are shown in UTC to the
// second, as in the published examples.
func NewDocument(p *Profile, warnings []Warning) Document {
	attrs := Attributes{Kind: p.Kind, Data: p.Data, Encoded: p.Encoded, Service: Service{
		VerificationStatus: p.Status,
		CreatedAt:          p.CreatedAt.UTC().Truncate(time.Second),
		UpdatedAt:          p.UpdatedAt.UTC().Truncate(time.Second),
	}}
	attrs.ClosedAt, attrs.ErasedAt = seconds(p.ClosedAt), seconds(p.ErasedAt)
	if r := p.Rejection; r != nil {
		attrs.IsRetryable = &r.Retryable
		attrs.VerificationRejectionSummary = r.Summary
	}
	attrs.RiskRating = riskRating(p)
	doc := Document{Data: Resource{ID: p.ID, Type: ResourceType, Attributes: attrs}}
	if len(warnings) > 0 {
		doc.Data.Meta = &ResourceMeta{Warnings: warnings}
	}
	return doc
}

// ProfileWarnings is c.Warnings of p's data. A profile read only to be shown (Data nil,
// Encoded set) has the two members the warnings need read from Encoded, without decoding
// the rest into a map: a get answers with the stored bytes and decodes nothing else.
func (c *Catalog) ProfileWarnings(p *Profile) ([]Warning, error) {
	if p.Data != nil || p.Encoded == nil {
		return c.Warnings(p.Data), nil
	}
	v, err := schema.TopStrings(p.Encoded, "businessIndustry", "occupation")
	if err != nil {
		return nil, err
	}
	return c.warnings(v[0], v[1]), nil
}

// AppendDocument appends NewDocument(p, warnings) to buf byte for byte as json.Encoder
// writes it, newline included, in one pass: the attributes as stored (p.Encoded) when the
// store has them, else encoded from p.Data, with the service's members spliced in. It spares
// a response encoding.Marshal's reflection over the document and its second pass over what
// a MarshalJSON method returns (checked and copied again). TestAppendDocumentAsEncoder holds
// the two equal.
func AppendDocument(buf []byte, p *Profile, warnings []Warning) ([]byte, error) {
	doc := NewDocument(p, warnings)
	buf = append(buf, `{"data":{"id":`...)
	buf, err := schema.AppendString(buf, doc.Data.ID)
	if err != nil {
		return nil, err
	}
	buf = append(buf, `,"type":"`+ResourceType+`","attributes":`...)
	if buf, err = doc.Data.Attributes.appendJSON(buf); err != nil {
		return nil, err
	}
	if doc.Data.Meta != nil {
		meta, err := json.Marshal(doc.Data.Meta)
		if err != nil {
			return nil, err
		}
		buf = append(append(buf, `,"meta":`...), meta...)
	}
	return append(buf, "}}\n"...), nil
}

func seconds(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	s := t.UTC().Truncate(time.Second)
	return &s
}
