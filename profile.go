package kyc

import "time"

// Status is where a profile stands in review.
type Status string

const (
	StatusPending  Status = "pending"
	StatusVerified Status = "verified"
	StatusRejected Status = "rejected"
)

// RegistrationPersonal is the only registrationType accepted so far; business profiles
// come later.
const RegistrationPersonal = "personal"

// Profile is a stored customer profile: the attributes the platform sent, and what the
// service keeps around them.
type Profile struct {
	ID        string // "customer_profile_" + UUID
	AccountID string
	Status    Status
	Version   int // incremented by every change
	CreatedAt time.Time
	UpdatedAt time.Time
	Personal  Personal

	// Rejection is set while the profile is rejected, and nil otherwise.
	Rejection *Rejection
}

// Personal holds the attributes of a personal Customer Profile+, as validated and as they
// are echoed back. Optional fields that were not sent stay empty and are omitted.
// Field order is the order of the published response example.
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
