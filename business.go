package kyc

// Business is a business Customer Profile+ (BusinessCPPlus). Optional fields that are
// empty are omitted; the flags are pointers so that false is sent.
type Business struct {
	CustomerName             string                  `json:"customerName"`
	CustomerNativeName       string                  `json:"customerNativeName,omitempty"`
	TradingName              string                  `json:"tradingName,omitempty"`
	MerchantRef              string                  `json:"merchantRef,omitempty"`
	RegistrationType         string                  `json:"registrationType"`
	RegistrationIDType       string                  `json:"registrationIdType"`
	RegistrationID           string                  `json:"registrationId"`
	RegistrationIDCountry    string                  `json:"registrationIdCountry,omitempty"`
	EntityLegalForm          string                  `json:"entityLegalForm"`
	BusinessContact          string                  `json:"businessContact"`
	Website                  string                  `json:"website,omitempty"`
	CountryOfIncorporation   string                  `json:"countryOfIncorporation"`
	DateOfIncorporation      string                  `json:"dateOfIncorporation"`
	Address                  BusinessAddress         `json:"address"`
	OperatingAddress         BusinessAddress         `json:"operatingAddress"`
	PlaceOfBiz               string                  `json:"placeOfBiz,omitempty"`
	PlaceOfBizCountry        string                  `json:"placeOfBizCountry,omitempty"`
	NatureOfBusiness         string                  `json:"natureOfBusiness"`
	OtherNatureOfBusiness    string                  `json:"otherNatureOfBusiness,omitempty"`
	USOwnership              bool                    `json:"usOwnership"`
	Intermediaries           bool                    `json:"intermediaries"`
	IntermediariesDocuments  []IntermediaryDocuments `json:"intermediariesDocuments,omitempty"`
	MonthlyTransactionVolume string                  `json:"monthlyTransactionVolume"`
	SourceOfWealth           *BusinessWealth         `json:"sourceOfWealth,omitempty"`
	SourceOfFunds            []string                `json:"sourceOfFunds"`
	OtherSourceOfFunds       string                  `json:"otherSourceOfFunds,omitempty"`
	Directors                []Person                `json:"directors"`
	BeneficialOwners         []Owner                 `json:"beneficialOwners"`
	Trader                   Trader                  `json:"trader"`
	Documents                CompanyDocuments        `json:"documents"`
	LicensingStatus          string                  `json:"licensingStatus,omitempty"`
	PurposeOfAccount         string                  `json:"purposeOfAccount"`
	OtherPurposeOfAccount    string                  `json:"otherPurposeOfAccount,omitempty"`
}

// BusinessAddress is an address under the SWIFT character rules, state required.
type BusinessAddress struct {
	Street     string `json:"street"`
	City       string `json:"city"`
	PostalCode string `json:"postalCode,omitempty"`
	State      string `json:"state"`
	Country    string `json:"country"`
}

// IntermediaryDocuments are the documents of one intermediary company or arrangement.
type IntermediaryDocuments struct {
	CertificateOfIncorporation string `json:"certificateOfIncorporation"`
	Memorandum                 string `json:"memorandum"`
	RegisterOfMembers          string `json:"registerOfMembers"`
	CertificateOfIncumbency    string `json:"certificateOfIncumbency"`
}

// BusinessWealth lists the evidence for each source of a company's wealth.
type BusinessWealth struct {
	LoanFromParentCompany         *WealthDocument `json:"loanFromParentCompany,omitempty"`
	LoanFromDirectorsShareholders *WealthDocument `json:"loanFromDirectorsShareholders,omitempty"`
	InvestorFunds                 *WealthDocument `json:"investorFunds,omitempty"`
	BusinessLoans                 *WealthDocument `json:"businessLoans,omitempty"`
	BusinessRevenue               *WealthDocument `json:"businessRevenue,omitempty"`
	CustomerFundsForInvestment    *WealthDocument `json:"customerFundsForInvestment,omitempty"`
	ArbitrageTrading              *WealthDocument `json:"arbitrageTrading,omitempty"`
	Others                        *OtherWealth    `json:"others,omitempty"`
}

// Person is a director of a company.
type Person struct {
	FirstName             string          `json:"firstName"`
	MiddleName            string          `json:"middleName,omitempty"`
	LastName              string          `json:"lastName"`
	NativeName            string          `json:"nativeName,omitempty"`
	DateOfBirth           string          `json:"dateOfBirth"`
	RegistrationID        string          `json:"registrationId"`
	RegistrationIDType    string          `json:"registrationIdType"`
	RegistrationIDCountry string          `json:"registrationIdCountry"`
	IdentityDocuments     PersonDocuments `json:"identityDocuments"`
	Nationality           string          `json:"nationality"`
	CountryOfResidence    string          `json:"countryOfResidence"`
}

// PersonDocuments are a person's identity document links: the passport, or both sides of
// the identity card.
type PersonDocuments struct {
	Passport string `json:"passport,omitempty"`
	IDFront  string `json:"idFront,omitempty"`
	IDBack   string `json:"idBack,omitempty"`
}

// Owner is a beneficial owner: a person with an address and its proof.
type Owner struct {
	Person
	Address        *BusinessAddress `json:"address,omitempty"`
	ProofOfAddress string           `json:"proofOfAddress"`
}

// Trader is the company's main trader: an owner's data plus a selfie and liveness check.
type Trader struct {
	Owner
	Selfie           string `json:"selfie"`
	LivenessSnapshot string `json:"livenessSnapshot"`
	LivenessResult   bool   `json:"livenessResult"`
}

// CompanyDocuments are the company's own documents.
type CompanyDocuments struct {
	CertificateOfIncorporation string `json:"certificateOfIncorporation"`
	Memorandum                 string `json:"memorandum"`
	RegisterOfDirectors        string `json:"registerOfDirectors"`
	RegisterOfMembers          string `json:"registerOfMembers"`
	ProofOfAddress             string `json:"proofOfAddress"`
	BoardResolution            string `json:"boardResolution"`
	AMLQuestionnaire           string `json:"amlQuestionnaire,omitempty"`
	SanctionQuestionnaire      string `json:"sanctionQuestionnaire,omitempty"`
	OperatingLicense           string `json:"operatingLicense,omitempty"`
	Declaration                string `json:"declaration,omitempty"`
}

// PersonalCPProfile is a regular personal Customer Profile (PersonalCP).
type PersonalCPProfile struct {
	CustomerName          string         `json:"customerName"`
	RegistrationType      string         `json:"registrationType"`
	RegistrationIDCountry string         `json:"registrationIdCountry"`
	RegistrationIDType    string         `json:"registrationIdType"`
	RegistrationID        string         `json:"registrationId"`
	DateOfBirth           string         `json:"dateOfBirth"`
	Nationality           string         `json:"nationality"`
	Gender                string         `json:"gender,omitempty"`
	Email                 string         `json:"email,omitempty"`
	PhoneNo               string         `json:"phoneNo,omitempty"`
	Address               RegularAddress `json:"address"`
	CustomerNativeName    string         `json:"customerNativeName,omitempty"`
	CountryOfResidence    string         `json:"countryOfResidence,omitempty"`
}

// BusinessCPProfile is a regular business Customer Profile (BusinessCP).
type BusinessCPProfile struct {
	CustomerName           string         `json:"customerName"`
	RegistrationType       string         `json:"registrationType"`
	RegistrationIDCountry  string         `json:"registrationIdCountry"`
	RegistrationIDType     string         `json:"registrationIdType"`
	RegistrationID         string         `json:"registrationId"`
	PlaceOfBiz             string         `json:"placeOfBiz"`
	PlaceOfBizCountry      string         `json:"placeOfBizCountry"`
	CountryOfIncorporation string         `json:"countryOfIncorporation"`
	DateOfIncorporation    string         `json:"dateOfIncorporation"`
	Address                RegularAddress `json:"address"`
}

// RegularAddress is a regular CP's address: SWIFT characters, state optional.
type RegularAddress struct {
	Street     string `json:"street"`
	City       string `json:"city"`
	PostalCode string `json:"postalCode,omitempty"`
	State      string `json:"state,omitempty"`
	Country    string `json:"country"`
}
