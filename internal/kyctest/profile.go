package kyctest

import "encoding/json"

const docURL = "https://docs.example.com/kyc/passport-1234.jpg"

// ValidProfile is a valid personal CP+ create body: the official "Personal CP+ – Sample
// Request" with the required purposeOfAccount it omits. Each call returns a fresh copy that
// a test may change.
func ValidProfile() map[string]any {
	return map[string]any{
		"customerName":      "MINGMING ZHOU",
		"customerFirstName": "MINGMING",
		"customerLastName":  "ZHOU",
		"email":             "zhou@gmail.com",
		"address": map[string]any{
			"street":     "ROOM 503, NO. 3, GUYAN ERLI XIANG 'AN DISTRICT",
			"city":       "XIAMEN",
			"postalCode": "100020",
			"state":      "XIAMEN",
			"country":    "CN",
		},
		"countryOfResidence":              "CN",
		"dateOfBirth":                     "1987-07-30",
		"gender":                          "MALE",
		"nationality":                     "CN",
		"registrationId":                  "EK42900532",
		"registrationType":                "personal",
		"registrationIdCountry":           "CN",
		"registrationIdType":              "passport",
		"registrationIdExpiryDate":        "2033-05-09",
		"businessIndustry":                "IT_RELATED",
		"occupation":                      "SENIOR_ASSOCIATE_OR_SENIOR_EXECUTIVE",
		"expectedAnnualTransactionAmount": "5001_TO_10000",
		"expectedTransactionSize":         "1001_TO_5000",
		"expectedTransactionFrequency":    "AT_LEAST_ONCE_EVERY_2_WEEKS",
		"annualIncome":                    "30001_TO_50000",
		"totalWealth":                     "500001_TO_2000000",
		"purposeOfAccount":                "INVESTMENT",
		"sourceOfWealth": map[string]any{
			"employmentIncome": map[string]any{"document": docURL},
			"others":           map[string]any{"details": "test", "document": docURL},
		},
		"identityDocuments": map[string]any{
			"selfie":           docURL,
			"proofOfAddress":   docURL,
			"passport":         docURL,
			"livenessSnapshot": docURL,
			"livenessResult":   true,
		},
		"ipAddresses": []any{"8.8.8.8"},
	}
}

// JSON marshals v for a request body.
func JSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only test values built in code reach here
	}
	return b
}

// JSONRoundTrip is v as encoding/json gives it back after a trip through JSON, to compare
// a body sent with what a response echoes.
func JSONRoundTrip(v map[string]any) map[string]any {
	var out map[string]any
	if err := json.Unmarshal(JSON(v), &out); err != nil {
		panic(err)
	}
	return out
}
