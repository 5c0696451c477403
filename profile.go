package kyc

import (
	"encoding/json"
	"time"

	"github.com/openkyc/kyc/internal/schema"
)

// Status is where a profile stands in review.
type Status string

const (
	StatusPending  Status = "pending"
	StatusVerified Status = "verified"
	StatusRejected Status = "rejected"
)

// Profile is a stored customer profile: the attributes the platform sent, as its kind's
// schema declares them, and what the service keeps around them.
type Profile struct {
	ID        string // "customer_profile_" + UUID
	AccountID string
	Kind      *Kind
	Status    Status
	Version   int // incremented by every change
	CreatedAt time.Time
	UpdatedAt time.Time
	Data      Data
	// Encoded is Data as Kind.EncodeData writes it, when the store has these bytes at hand
	// (those it wrote or read), so that a response or a webhook writes them as they are
	// instead of encoding Data again; nil otherwise. The store sets it with Data and never
	// changes one without the other. A profile read only to be shown carries Encoded
	// alone, Data nil (store.FindProfileEncoded, FindProfiles).
	Encoded []byte

	// Rejection is set while the profile is rejected, and nil otherwise.
	Rejection *Rejection

	// ClosedAt is when the business relationship ended (POST …/close); nil while it lasts.
	ClosedAt *time.Time
	// Hold is the legal hold that forbids erasing the profile, or nil.
	Hold *Hold
	// ErasedAt and Erasure are set once the profile's personal data was erased: the
	// profile is a tombstone, Data is nil.
	ErasedAt *time.Time
	Erasure  *Erasure

	// Risk is the profile's risk rating, recomputed with every change of its data, its
	// screening or the rules; nil until it is rated.
	Risk *RiskAssessment
}

// Text returns the profile's top-level string member name, or "".
func (p *Profile) Text(name string) string {
	s, _ := p.Data[name].(string)
	return s
}

// EncodeData writes a profile's data as JSON, members in the order k's schema declares
// them: the form it is stored in and shown in.
func (k *Kind) EncodeData(d Data) ([]byte, error) {
	return schema.AppendObject(nil, k.Schema, d)
}

// DecodeData reads data that EncodeData wrote.
func DecodeData(b []byte) (Data, error) {
	var d Data
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// The typed views below are for Go programs that build or read profiles (the client
// package): the service itself validates, stores and echoes Data through the schemas.
// TestTypedViewsMatchSchemas holds each one equal to its kind's schema, member by member.

// Personal is a personal Customer Profile+ (PersonalCPPlus). Optional fields that are
// empty are omitted.
type Personal struct {
	CustomerName                    string            `json:"customerName,omitempty"`
	RegistrationType                string            `json:"registrationType"`
	RegistrationID                  string            `json:"registrationId"`
	CountryOfResidence              string            `json:"countryOfResidence"`
	DateOfBirth                     string            `json:"dateOfBirth"`
	Gender                          string            `json:"gender"`
	Nationality                     string            `json:"nationality"`
	Email                           string            `json:"email"`
	PhoneNo                         string            `json:"phoneNo,omitempty"`
	Address                         Address           `json:"address"`
	RegistrationIDCountry           string            `json:"registrationIdCountry"`
	RegistrationIDType              string            `json:"registrationIdType"`
	RegistrationIDExpiryDate        string            `json:"registrationIdExpiryDate,omitempty"`
	PurposeOfAccount                string            `json:"purposeOfAccount"`
	OtherPurposeOfAccount           string            `json:"otherPurposeOfAccount,omitempty"`
	BusinessIndustry                string            `json:"businessIndustry"`
	Occupation                      string            `json:"occupation"`
	ExpectedAnnualTransactionAmount string            `json:"expectedAnnualTransactionAmount"`
	ExpectedTransactionSize         string            `json:"expectedTransactionSize"`
	ExpectedTransactionFrequency    string            `json:"expectedTransactionFrequency"`
	AnnualIncome                    string            `json:"annualIncome"`
	IdentityDocuments               IdentityDocuments `json:"identityDocuments"`
	TotalWealth                     string            `json:"totalWealth"`
	SourceOfWealth                  *SourceOfWealth   `json:"sourceOfWealth,omitempty"`
	IPAddresses                     []string          `json:"ipAddresses"`
	CustomerFirstName               string            `json:"customerFirstName"`
	CustomerLastName                string            `json:"customerLastName"`
	CustomerNativeName              string            `json:"customerNativeName,omitempty"`
}

// Address is the customer's residential address.
type Address struct {
	Street     string `json:"street"`
	City       string `json:"city"`
	PostalCode string `json:"postalCode,omitempty"`
	State      string `json:"state,omitempty"`
	Country    string `json:"country"`
}

// IdentityDocuments holds links (URLs) to the customer's document images, never the files.
type IdentityDocuments struct {
	Selfie           string `json:"selfie,omitempty"`
	ProofOfAddress   string `json:"proofOfAddress"`
	Passport         string `json:"passport,omitempty"`
	IDFront          string `json:"idFront,omitempty"`
	IDBack           string `json:"idBack,omitempty"`
	LivenessSnapshot string `json:"livenessSnapshot"`
	LivenessResult   bool   `json:"livenessResult"`
}

// SourceOfWealth lists the evidence for each source the customer declared.
type SourceOfWealth struct {
	BusinessOwnership *WealthDocument `json:"businessOwnership,omitempty"`
	EmploymentIncome  *WealthDocument `json:"employmentIncome,omitempty"`
	PropertyOwnership *WealthDocument `json:"propertyOwnership,omitempty"`
	InvestmentReturns *WealthDocument `json:"investmentReturns,omitempty"`
	LotteryWinnings   *WealthDocument `json:"lotteryWinnings,omitempty"`
	InheritanceGifts  *WealthDocument `json:"inheritanceGifts,omitempty"`
	CashSavings       *WealthDocument `json:"cashSavings,omitempty"`
	Others            *OtherWealth    `json:"others,omitempty"`
}

// WealthDocument is a link to the evidence of one source of wealth.
type WealthDocument struct {
	Document string `json:"document"`
}

// OtherWealth is a source of wealth outside the listed kinds, described in words.
type OtherWealth struct {
	Details  string `json:"details"`
	Document string `json:"document"`
}

// Warning flags an accepted value that deserves a reviewer's attention, such as an
// occupation outside the catalog. It never holds personal data.
type Warning struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}
