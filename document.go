package kyc

import "time"

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

// Attributes are the stored fields echoed back, plus the service's own.
type Attributes struct {
	Personal
	VerificationStatus Status    `json:"verificationStatus"`
	CreatedAt          time.Time `json:"createdAt"`
	UpdatedAt          time.Time `json:"updatedAt"`

	// A rejected profile's rejection, in the shape of the published callbacks.
	IsRetryable                  *bool       `json:"isRetryable,omitempty"`
	VerificationRejectionSummary string      `json:"verificationRejectionSummary,omitempty"`
	RiskRating                   *RiskRating `json:"riskRating,omitempty"`
}

// ResourceMeta carries what the service noticed about an accepted profile. It is an
// addition to the published contract; clients that do not know it can ignore it.
type ResourceMeta struct {
	Warnings []Warning `json:"warnings,omitempty"`
}

// NewDocument builds the JSON:API document of a profile. Timestamps are shown in UTC to the
// second, as in the published examples.
func NewDocument(p *Profile, warnings []Warning) Document {
	attrs := Attributes{
		Personal:           p.Personal,
		VerificationStatus: p.Status,
		CreatedAt:          p.CreatedAt.UTC().Truncate(time.Second),
		UpdatedAt:          p.UpdatedAt.UTC().Truncate(time.Second),
	}
	if r := p.Rejection; r != nil {
		attrs.IsRetryable = &r.Retryable
		attrs.VerificationRejectionSummary = r.Summary
		attrs.RiskRating = r.riskRating()
	}
	if attrs.IPAddresses == nil {
		attrs.IPAddresses = []string{}
	}
	doc := Document{Data: Resource{ID: p.ID, Type: ResourceType, Attributes: attrs}}
	if len(warnings) > 0 {
		doc.Data.Meta = &ResourceMeta{Warnings: warnings}
	}
	return doc
}
