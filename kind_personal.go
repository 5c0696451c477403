package kyc

import "github.com/openkyc/kyc/internal/schema"

// The closed lists of spec §3.2, complete and matched exactly.
var (
	ruleGender             = enum("MALE", "FEMALE")
	ruleRegistrationIDType = enum("passport", "identity_card")
	ruleAnnualAmount       = enum("0_TO_1000", "1001_TO_5000", "5001_TO_10000", "10001_TO_30000", "GT_30000")
	ruleTransactionSize    = enum("0_TO_1000", "1001_TO_5000", "5001_TO_10000", "10001_TO_20000", "GT_20000")
	ruleFrequency          = enum("AT_LEAST_ONCE_EVERY_2_WEEKS", "AT_LEAST_ONCE_A_MONTH", "AT_LEAST_ONCE_EVERY_6_MONTHS", "AT_LEAST_ONCE_A_YEAR")
	ruleAnnualIncome       = enum("0_TO_30000", "30001_TO_50000", "50001_TO_100000", "100001_TO_500000", "GT_500000")
	ruleTotalWealth        = enum("0_TO_500000", "500001_TO_2000000", "2000001_TO_5000000", "5000001_TO_10000000", "GT_10000000")
	rulePurpose            = enum("INVESTMENT", "TRADING", "REMITTANCES", purposeOthers)
	rulePersonalOnly       = enum(RegistrationPersonal)
)

const purposeOthers = "OTHERS"

// The open lists (occupation, businessIndustry) are checked against the caller's catalog.
var (
	ruleOccupation = rule("a value of the Occupation catalog (open list: other UPPER_SNAKE_CASE values are accepted and flagged unless the operator's catalog is strict)",
		func(env *schema.Env, path, s string) string { return catalogOf(env).occupation.check(path, s) })
	ruleIndustry = rule("a value of the Business Industry catalog (open list: other UPPER_SNAKE_CASE values are accepted and flagged unless the operator's catalog is strict)",
		func(env *schema.Env, path, s string) string { return catalogOf(env).businessIndustry.check(path, s) })
)

// PersonalCPPlus is the personal Customer Profile+: the top-level fields in the order of
// the spec's §3.2 table, nested ones in the order of theirs (§3.3 to §3.5).
var PersonalCPPlus = &Kind{
	Name: "personal_cp_plus", Title: "Personal CP+", Model: ModelCPPlus, RegistrationType: RegistrationPersonal,
	Component: "PersonalCPPlus", Initial: StatusPending,
	ReviewFree: []string{"email", "phoneNo", "ipAddresses"},
	Schema: &schema.Field{Type: schema.Object, Fields: []schema.Field{
		optional("customerName", ruleName50),
		required("customerFirstName", ruleAny191), // the seed's 1..191, not the later SWIFT 50 (DESIGN.md)
		required("customerLastName", ruleAny191),
		optional("customerNativeName", ruleAny191),
		optional("phoneNo", rulePhone),
		group("address", true,
			required("street", ruleStreet),
			required("city", ruleCity),
			optional("postalCode", rulePostal),
			optional("state", ruleState),
			required("country", ruleCountry),
		),
		required("countryOfResidence", ruleCountry),
		required("dateOfBirth", ruleBirthDate),
		required("email", ruleEmail),
		required("gender", ruleGender),
		required("nationality", ruleNationality),
		required("registrationId", ruleRegID),
		required("registrationType", rulePersonalOnly),
		required("registrationIdCountry", ruleCountry),
		required("registrationIdType", ruleRegistrationIDType),
		optional("registrationIdExpiryDate", ruleDate), // a past date is allowed: a fact, not a rule
		required("businessIndustry", ruleIndustry),
		required("occupation", ruleOccupation),
		required("expectedAnnualTransactionAmount", ruleAnnualAmount),
		required("expectedTransactionSize", ruleTransactionSize),
		required("expectedTransactionFrequency", ruleFrequency),
		required("annualIncome", ruleAnnualIncome),
		group("identityDocuments", true,
			optional("selfie", ruleFileLink),
			required("proofOfAddress", ruleFileLink),
			requiredWhen("passport", ruleFileLink, topIs("registrationIdType", "passport")),
			requiredWhen("idFront", ruleFileLink, topIs("registrationIdType", "identity_card")),
			requiredWhen("idBack", ruleFileLink, topIs("registrationIdType", "identity_card")),
			required("livenessSnapshot", ruleFileLink),
			flag("livenessResult", true),
		),
		required("totalWealth", ruleTotalWealth),
		personalWealth,
		documented(stringList("ipAddresses", true, ruleIPAddress, 0, 20), "May be empty."),
		required("purposeOfAccount", rulePurpose),
		requiredWhen("otherPurposeOfAccount", ruleAny255, topIs("purposeOfAccount", purposeOthers)), // format unpublished
	}},
}

// personalWealth: sourceOfWealth is optional; each source sent needs its document, and
// "others" its details too. A business source is refused with the limit-update endpoint's
// published wording for the same mistake (which prints "sourceOfwealth"), spelt right.
var personalWealth = refusing(
	group("sourceOfWealth", false,
		wealthSource("businessOwnership", ruleFileLink), wealthSource("employmentIncome", ruleFileLink),
		wealthSource("propertyOwnership", ruleFileLink), wealthSource("investmentReturns", ruleFileLink),
		wealthSource("lotteryWinnings", ruleFileLink), wealthSource("inheritanceGifts", ruleFileLink),
		wealthSource("cashSavings", ruleFileLink), otherWealth(ruleFileLink),
	),
	businessWealthNames,
	func(name string) string {
		return "Invalid sourceOfWealth `" + name + "` for Personal customer profile."
	},
)

func wealthSource(name string, link schema.Rule) schema.Field {
	return group(name, false, required("document", link))
}

func otherWealth(link schema.Rule) schema.Field {
	return group("others", false, required("details", ruleAny255), required("document", link))
}

// PersonalCP is the regular personal Customer Profile (spec §5.2): no KYC documents, and
// the address under the SWIFT rules of the create schema. countryOfResidence is not in the
// published CP create schema but is in its sample request and in the update schema of
// every kind, so it is accepted (COMPATIBILITY.md).
var PersonalCP = &Kind{
	Name: "personal_cp", Title: "Personal CP", Model: ModelCP, RegistrationType: RegistrationPersonal,
	Component: "PersonalCP", Initial: StatusVerified,
	ReviewFree: []string{"email", "phoneNo"},
	Schema: &schema.Field{Type: schema.Object, Fields: []schema.Field{
		required("customerName", ruleName50),
		required("registrationType", rulePersonalOnly),
		required("registrationIdCountry", ruleCountry),
		required("registrationIdType", ruleRegistrationIDType),
		required("registrationId", ruleRegID),
		required("dateOfBirth", ruleBirthDate),
		required("nationality", ruleNationality),
		optional("gender", ruleGender),
		optional("email", ruleEmail),
		optional("phoneNo", rulePhone),
		swiftAddress("address", true, false, ruleCountry),
		optional("customerNativeName", ruleAny191),
		optional("countryOfResidence", ruleCountry),
	}},
}

// swiftAddress is an address under the SWIFT character rules (spec §3.8) that the regular
// CP and the business CP+ schemas use; state is required in some. country is a code, or
// (business CP+) any form of a country, stored as alpha-2.
func swiftAddress(name string, req, stateRequired bool, country schema.Rule) schema.Field {
	c := required("country", country)
	if country.Doc == ruleAnyCountry.Doc {
		c = normalized(c, alpha2)
	}
	state := optional("state", ruleSwiftState)
	state.Required = stateRequired
	return group(name, req,
		required("street", ruleSwiftStreet),
		required("city", ruleSwiftCity),
		optional("postalCode", rulePostal),
		state,
		c,
	)
}
