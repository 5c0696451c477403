package kyc

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
)

// RejectionReason is one entry of the rejection catalog: why a profile was rejected, what
// the customer is told, and whether fixing the data and resubmitting can help.
type RejectionReason struct {
	Code      int    `json:"code"`
	Reason    string `json:"reason"` // snake_case, as riskRating.rejection_reason shows it
	Message   string `json:"message"`
	Retryable bool   `json:"-"`
}

// rejectionCatalog is built from StraitsX's "Rejection reasons" page and its newer
// "Retryable Reason for CP Resubmission" page (spec §6.3). Those give the reasons and the
// code ranges (101–199 ID document, 201–299 proof of address, 301–399 selfie and liveness,
// 401–499 general, 501–599 policy, the last not retryable) and the counts per range, but
// not which code means which reason: the code of each reason here, and the reasons that
// fill a range beyond those published, are ours, always inside the documented range.
// Codes 405 (RFI expired or unanswered) and 501–504 are placed as published.
var rejectionCatalog = []RejectionReason{
	{101, "expired_id", "The ID document has expired.", true},
	{102, "unclear_id_image", "The document image is unclear.", true},
	{103, "photocopy_not_accepted", "Photocopies are not accepted.", true},
	{104, "missing_id_front", "The front side of the ID document is missing.", true},
	{105, "missing_id_back", "The back side of the ID document is missing.", true},
	{106, "unacceptable_id_format", "The ID document format is not acceptable.", true},
	{107, "id_type_not_accepted", "This type of ID document is not accepted.", true},
	{108, "id_details_mismatch", "The details on the ID document do not match the profile.", true},
	{109, "id_document_obscured", "Part of the ID document is covered, cut off or damaged.", true},
	{110, "id_document_inaccessible", "The ID document link cannot be opened or the file is corrupted.", true},
	{111, "id_registration_mismatch", "The ID document does not match the registration id given.", true},
	{201, "proof_of_address_not_recent", "The proof of address is not recent: it must be less than 1 year old.", true},
	{202, "proof_of_address_inaccessible", "The proof of address document cannot be opened or is corrupted.", true},
	{203, "proof_of_address_illegible", "The proof of address document is illegible or blurred.", true},
	{204, "proof_of_address_not_acceptable", "The proof of address document is not acceptable.", true},
	{205, "proof_of_address_incomplete", "The proof of address is missing the date of the letter, the name, the address or the issuer's logo.", true},
	{206, "proof_of_address_not_original", "Please upload the original digital Proof of Address copy. Screenshots or photos of screens are not accepted.", true},
	{301, "selfie_unclear", "The selfie is unclear.", true},
	{302, "selfie_mismatch", "The selfie does not match the photo on the ID document.", true},
	{303, "liveness_check_failed", "The liveness check failed.", true},
	{304, "selfie_missing", "The selfie is missing.", true},
	{305, "face_covered", "The face is covered (glasses, mask or headwear) in the selfie.", true},
	{306, "liveness_snapshot_inaccessible", "The liveness snapshot cannot be opened or is corrupted.", true},
	{401, "incomplete_information", "Required information is missing or incomplete.", true},
	{402, "inconsistent_information", "The information given is inconsistent between the profile and its documents.", true},
	{405, "onboarding_request_expired", "The onboarding request expired or a request for additional information went unanswered.", true},
	{499, "custom_reason", "Rejected for the reason given in the summary.", true},
	{501, "straitsx_policy", "Rejected due to StraitsX policy.", false},
	{502, "dnd_country", "Rejected due to DND country.", false},
	{503, "dnd_industry", "Rejected due to DND industry.", false},
	{504, "client_requested_closure", "Closed at the client's request.", false},
}

// RejectionReasons is the whole catalog, in code order.
func RejectionReasons() []RejectionReason { return slices.Clone(rejectionCatalog) }

// LookupRejection finds a catalogued code.
func LookupRejection(code int) (RejectionReason, bool) {
	i := slices.IndexFunc(rejectionCatalog, func(r RejectionReason) bool { return r.Code == code })
	if i < 0 {
		return RejectionReason{}, false
	}
	return rejectionCatalog[i], true
}

// Rejection is what a rejected profile carries: whether it may be resubmitted, the summary
// shown to the customer, and the catalogued reasons.
type Rejection struct {
	Retryable bool   `json:"retryable"`
	Summary   string `json:"summary"`
	Codes     []int  `json:"codes"`
}

// RiskRating is the published riskRating member (status, rejection_reason, rejections),
// with this service's risk rating beside them (level, score, factors, rulesVersion: see
// COMPATIBILITY.md). It is shown once the profile is rated or rejected.
type RiskRating struct {
	Status          Status            `json:"status"`
	RejectionReason Reasons           `json:"rejection_reason"`
	Rejections      []RejectionReason `json:"rejections"`
	*RiskAssessment
}

// Reasons is riskRating.rejection_reason: this server sends an array of snake_case reasons,
// whereas StraitsX's published example sends a string ("rejection_reason": "" on a verified
// profile). Both are read, so that the client decodes either server's answer: a string is one
// reason, and "" or null none.
type Reasons []string

// UnmarshalJSON reads a string or an array of strings.
func (r *Reasons) UnmarshalJSON(b []byte) error {
	var one *string
	if err := json.Unmarshal(b, &one); err == nil {
		*r = Reasons{}
		if one != nil && *one != "" {
			*r = Reasons{*one}
		}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return errors.New("rejection_reason is neither a string nor an array of strings")
	}
	*r = list
	return nil
}

// riskRating renders a profile's rejection (if any) in the published shape, with its rating;
// nil when it has neither.
func riskRating(p *Profile) *RiskRating {
	if p.Rejection == nil && p.Risk == nil {
		return nil
	}
	rr := &RiskRating{Status: p.Status, RejectionReason: Reasons{}, Rejections: []RejectionReason{}, RiskAssessment: p.Risk}
	if p.Rejection == nil {
		return rr
	}
	for _, code := range p.Rejection.Codes {
		if reason, ok := LookupRejection(code); ok {
			rr.RejectionReason = append(rr.RejectionReason, reason.Reason)
			rr.Rejections = append(rr.Rejections, reason)
		}
	}
	return rr
}

// defaultSummary is the summary of a rejection that was given none: the reasons' messages.
func defaultSummary(codes []int) string {
	if len(codes) == 0 {
		return "The profile was rejected in review."
	}
	msgs := make([]string, 0, len(codes))
	for _, code := range codes {
		r, _ := LookupRejection(code)
		msgs = append(msgs, r.Message)
	}
	return strings.Join(msgs, " ")
}
