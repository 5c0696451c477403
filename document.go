package kyc

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"
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
	var data []byte
	var err error
	if a.Kind != nil {
		data, err = a.Kind.EncodeData(a.Data)
	} else {
		data, err = json.Marshal(a.Data)
	}
	if err != nil {
		return nil, err
	}
	service, err := json.Marshal(a.Service)
	if err != nil {
		return nil, err
	}
	return splice(data, service), nil
}

// splice joins two JSON objects into one.
func splice(a, b []byte) []byte {
	a = bytes.TrimSuffix(a, []byte("}"))
	if len(a) > 1 {
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
	attrs := Attributes{Kind: p.Kind, Data: p.Data, Service: Service{
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

func seconds(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	s := t.UTC().Truncate(time.Second)
	return &s
}
