package kyc

import "github.com/openkyc/kyc/internal/schema"

// The closed lists of the business schemas (spec §5.1), complete, in the published
// spelling: `100001_TO_10000000` (sic) and the purposes with a space.
var (
	ruleBusinessOnly   = enum(RegistrationBusiness)
	ruleBusinessIDType = enum("business_reg_no")
	ruleLegalForm      = enum("PRIVATE_COMPANY", "PUBLIC_COMPANY")
	ruleNature         = enum(
		"PERSONAL_INVESTMENT_COMPANIES", "SUPERANNUATION_FUND", "CRYPTO_MINING", "PROPRIETARY_TRADING",
		"ALGORITHM_CRYPTO_TRADERS", "P2P_MERCHANTS", "OTHER_WEB3_SERVICES_NON_VASP", "ACCOMMODATION_AND_FOOD_SERVICES",
		"WASTE_MANAGEMENT_AND_REMEDIATION_SERVICES", "AGRICULTURE_FORESTRY_FISHING_AND_HUNTING",
		"ARTS_ENTERTAINMENT_AND_RECREATION", "EDUCATIONAL_SERVICES", "GAMING", "HEALTHCARE_AND_SOCIAL_ASSISTANCE",
		"INFORMATION", "GENERAL_MANUFACTURING", "PROFESSIONAL_SERVICES", "SCIENTIFIC_AND_TECHNICAL_SERVICES",
		"RETAIL_ELECTRONICS", "RETAIL_FOOD_AND_BEVERAGE", "RETAIL_JEWELRY", "RETAIL_OTHERS",
		"SALE_OF_DRUGS_AND_PHARMACEUTICAL_PRODUCTS", "TRANSPORTATION_AND_WAREHOUSING", "FAMILY_OFFICE",
		"SOVEREIGN_WEALTH_FUND", "INVESTMENT_FUNDS", "CRYPTO_EXCHANGE_BROKER", "CRYPTO_ATM",
		"OTHER_DIGITAL_ASSET_SERVICE_PROVIDERS_VASP", "BANK", "NON_BANK_FINANCIAL_INSTITUTION",
		"MONEY_SERVICES_BUSINESS_PAYMENT_SERVICE_PROVIDERS", "CONSTRUCTION", "GENERAL_WHOLESALERS",
		"MANAGEMENT_OF_COMPANIES", "PRECIOUS_STONES_METALS_DEALERS", "CRUDE_OIL_NATURAL_GAS_DEALERS", "PAWN_SHOPS",
		"PUBLIC_ADMINISTRATION", "REAL_ESTATE_RENTAL_LEASING", "UTILITIES", purposeOthers)
	ruleMonthlyVolume = enum("0_TO_100000", "100001_TO_500000", "500001_TO_1000000", "100001_TO_10000000", "GT_10000000")
	ruleSourceOfFunds = enum(
		"LOAN_FROM_PARENT_COMPANY", "LOAN_FROM_DIRECTORS_SHAREHOLDERS", "INVESTOR_FUNDS", "BUSINESS_LOANS",
		"BUSINESS_REVENUE", "CUSTOMER_FUNDS_FOR_INVESTMENT", "ARBITRAGE_TRADING", "EMPLOYMENT_INCOME",
		"BUSINESS_OWNERSHIP_INCOME", "PROPERTY_OWNERSHIP", "INVESTMENT_HOLDINGS_RETURNS", "GIFTS_INHERITANCE",
		"CASH_SAVINGS", purposeOthers)
	ruleLicensing = enum("FULLY_LICENSED", "EXEMPT_FROM_LICENSING", "IN_PRINCIPLE_APPROVAL_GRANTED",
		"LICENSE_APPLICATION_IN_PROGRESS", notLicensable)
	ruleBusinessPurpose = enum("INVESTMENT", "TRADING", "REMITTANCES", "TREASURY MANAGEMENT", "BUSINESS USAGE", purposeOthers)
)

// notLicensable is the one licensingStatus that does not call for documents.operatingLicense.
const notLicensable = "NOT_SUBJECTED_TO_LICENSING_REQUIREMENTS"

// businessWealthNames are the sources of wealth of the business schema, refused in a
// personal one.
var businessWealthNames = []string{
	"loanFromParentCompany", "loanFromDirectorsShareholders", "investorFunds", "businessLoans",
	"businessRevenue", "customerFundsForInvestment", "arbitrageTrading",
}

// Bounds on the arrays of a business profile, which the contract leaves open: generous for
// any real company, small enough that a hostile body costs little (COMPATIBILITY.md).
const (
	maxDirectors     = 50
	maxOwners        = 50
	maxIntermediates = 20
	maxFundSources   = 14 // every published source once
)

// BusinessCPPlus is the business Customer Profile+ (spec §5.1), fields in the order of the
// published create schema. placeOfBiz and placeOfBizCountry are not in it but are in
// StraitsX's update schema for business profiles, so they are accepted (COMPATIBILITY.md).
var BusinessCPPlus = &Kind{
	Name: "business_cp_plus", Title: "Business CP+", Model: ModelCPPlus, RegistrationType: RegistrationBusiness,
	Component: "BusinessCPPlus", Initial: StatusPending,
	ReviewFree: []string{"businessContact", "website", "merchantRef"},
	Schema: &schema.Field{Type: schema.Object, Fields: []schema.Field{
		required("customerName", ruleName50),
		optional("customerNativeName", ruleAny191),
		optional("tradingName", ruleTradingName),
		optional("merchantRef", ruleAny191),
		required("registrationType", ruleBusinessOnly),
		required("registrationIdType", ruleBusinessIDType),
		required("registrationId", ruleBizRegID),
		optional("registrationIdCountry", ruleCountry),
		required("entityLegalForm", ruleLegalForm),
		required("businessContact", rulePhone),
		optional("website", ruleWebsite),
		required("countryOfIncorporation", ruleCountry),
		required("dateOfIncorporation", ruleBirthDate),
		swiftAddress("address", true, true, ruleAnyCountry),
		swiftAddress("operatingAddress", true, true, ruleAnyCountry),
		optional("placeOfBiz", rulePlaceOfBiz),
		optional("placeOfBizCountry", ruleCountry),
		required("natureOfBusiness", ruleNature),
		requiredWhen("otherNatureOfBusiness", ruleAny255, topIs("natureOfBusiness", purposeOthers)),
		flag("usOwnership", true),
		flag("intermediaries", true),
		intermediariesDocuments,
		required("monthlyTransactionVolume", ruleMonthlyVolume),
		businessWealth,
		stringList("sourceOfFunds", true, ruleSourceOfFunds, 1, maxFundSources),
		requiredWhen("otherSourceOfFunds", ruleAny255, topContains("sourceOfFunds", purposeOthers)),
		objects("directors", true, 1, maxDirectors, person()...),
		objects("beneficialOwners", true, 0, maxOwners, owner(false)...),
		group("trader", true, owner(true)...),
		companyDocuments,
		optional("licensingStatus", ruleLicensing),
		required("purposeOfAccount", ruleBusinessPurpose),
		requiredWhen("otherPurposeOfAccount", ruleAny255, topIs("purposeOfAccount", purposeOthers)),
	}},
}

var intermediariesDocuments = func() schema.Field {
	f := objects("intermediariesDocuments", false, 1, maxIntermediates,
		required("certificateOfIncorporation", ruleBizLink),
		required("memorandum", ruleBizLink),
		required("registerOfMembers", ruleBizLink),
		required("certificateOfIncumbency", ruleBizLink),
	)
	f.When = topTrue("intermediaries")
	return f
}()

// businessWealth: the business sources of wealth; a personal one is refused by name.
var businessWealth = func() schema.Field {
	fields := make([]schema.Field, 0, len(businessWealthNames)+1)
	for _, name := range businessWealthNames {
		fields = append(fields, wealthSource(name, ruleBizLink))
	}
	personal := []string{"businessOwnership", "employmentIncome", "propertyOwnership", "investmentReturns",
		"lotteryWinnings", "inheritanceGifts", "cashSavings"}
	return refusing(group("sourceOfWealth", false, append(fields, otherWealth(ruleBizLink))...), personal,
		func(name string) string {
			return "Invalid sourceOfWealth `" + name + "` for Business customer profile."
		})
}()

// person is a director: identity, and the identity document its registrationIdType calls
// for. identityDocuments is optional in the published schema, but one of its members is
// required whatever the type, so the object is required (COMPATIBILITY.md).
func person() []schema.Field {
	return []schema.Field{
		required("firstName", ruleAny191),
		optional("middleName", ruleAny191),
		required("lastName", ruleAny191),
		optional("nativeName", ruleAny191),
		required("dateOfBirth", ruleBirthDate),
		required("registrationId", rulePersonRegID),
		required("registrationIdType", ruleRegistrationIDType),
		required("registrationIdCountry", ruleCountry),
		group("identityDocuments", true,
			requiredWhen("passport", ruleBizLink, parentIs("registrationIdType", "passport")),
			requiredWhen("idFront", ruleBizLink, parentIs("registrationIdType", "identity_card")),
			requiredWhen("idBack", ruleBizLink, parentIs("registrationIdType", "identity_card")),
		),
		required("nationality", ruleCountry),
		required("countryOfResidence", ruleCountry),
	}
}

// owner is a beneficial owner (a person with an optional address and a required proof of
// address) or, with trader set, the main trader, who also needs a selfie and liveness.
func owner(trader bool) []schema.Field {
	fields := append(person(),
		swiftAddress("address", false, true, ruleAnyCountry),
		required("proofOfAddress", ruleBizLink),
	)
	if trader {
		fields = append(fields,
			required("selfie", ruleBizLink),
			required("livenessSnapshot", ruleBizLink),
			flag("livenessResult", true),
		)
	}
	return fields
}

var companyDocuments = group("documents", true,
	required("certificateOfIncorporation", ruleBizLink),
	required("memorandum", ruleBizLink),
	required("registerOfDirectors", ruleBizLink),
	required("registerOfMembers", ruleBizLink),
	required("proofOfAddress", ruleBizLink),
	required("boardResolution", ruleBizLink),
	optional("amlQuestionnaire", ruleBizLink),
	optional("sanctionQuestionnaire", ruleBizLink),
	requiredWhen("operatingLicense", ruleBizLink, topSetNot("licensingStatus", notLicensable)),
	optional("declaration", ruleBizLink),
)

// BusinessCP is the regular business Customer Profile (spec §5.2).
var BusinessCP = &Kind{
	Name: "business_cp", Title: "Business CP", Model: ModelCP, RegistrationType: RegistrationBusiness,
	Component: "BusinessCP", Initial: StatusVerified,
	Schema: &schema.Field{Type: schema.Object, Fields: []schema.Field{
		required("customerName", ruleName50),
		required("registrationType", ruleBusinessOnly),
		required("registrationIdCountry", ruleCountry),
		required("registrationIdType", ruleBusinessIDType),
		required("registrationId", ruleRegID),
		required("placeOfBiz", rulePlaceOfBiz),
		required("placeOfBizCountry", ruleCountry),
		required("countryOfIncorporation", ruleCountry),
		required("dateOfIncorporation", ruleBirthDate),
		swiftAddress("address", true, false, ruleCountry),
	}},
}
