package kyc

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sampleRequest is the official "Personal CP+ – Sample Request" of the OpenAPI export, plus
// the required purposeOfAccount that the sample omits.
const sampleRequest = `{
  "customerName": "MINGMING ZHOU",
  "customerFirstName": "MINGMING",
  "customerLastName": "ZHOU",
  "email": "zhou@gmail.com",
  "address": {
    "street": "ROOM 503, NO. 3, GUYAN ERLI XIANG 'AN DISTRICT",
    "city": "XIAMEN",
    "postalCode": "100020",
    "state": "XIAMEN",
    "country": "CN"
  },
  "countryOfResidence": "CN",
  "dateOfBirth": "1987-07-30",
  "gender": "MALE",
  "nationality": "CN",
  "registrationId": "EK42900532",
  "registrationType": "personal",
  "registrationIdCountry": "CN",
  "registrationIdType": "passport",
  "registrationIdExpiryDate": "2033-05-09",
  "businessIndustry": "IT_RELATED",
  "occupation": "SENIOR_ASSOCIATE_OR_SENIOR_EXECUTIVE",
  "expectedAnnualTransactionAmount": "5001_TO_10000",
  "expectedTransactionSize": "1001_TO_5000",
  "expectedTransactionFrequency": "AT_LEAST_ONCE_EVERY_2_WEEKS",
  "annualIncome": "30001_TO_50000",
  "totalWealth": "500001_TO_2000000",
  "sourceOfWealth": {
    "businessOwnership": {"document": "` + sampleDoc + `"},
    "employmentIncome": {"document": "` + sampleDoc + `"},
    "propertyOwnership": {"document": "` + sampleDoc + `"},
    "investmentReturns": {"document": "` + sampleDoc + `"},
    "lotteryWinnings": {"document": "` + sampleDoc + `"},
    "inheritanceGifts": {"document": "` + sampleDoc + `"},
    "cashSavings": {"document": "` + sampleDoc + `"},
    "others": {"details": "test", "document": "` + sampleDoc + `"}
  },
  "identityDocuments": {
    "selfie": "` + sampleDoc + `",
    "proofOfAddress": "` + sampleDoc + `",
    "passport": "` + sampleDoc + `",
    "idFront": "` + sampleDoc + `",
    "idBack": "` + sampleDoc + `",
    "livenessSnapshot": "` + sampleDoc + `",
    "livenessResult": true
  },
  "ipAddresses": [],
  "purposeOfAccount": "INVESTMENT"
}`

const sampleDoc = "https://previews.123rf.com/images/donets/donets1803/donets180300015/96834130-international-passport-template-with-biometric-data-identification-and-sample-of-photo-signature-and.jpg"

// testNow is the clock of the tests: 12:00 UTC is already the next day in UTC+14.
var testNow = time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)

// sample returns a fresh decoded copy of sampleRequest.
func sample(t *testing.T) map[string]any {
	t.Helper()
	doc, err := DecodeObject([]byte(sampleRequest))
	if err != nil {
		t.Fatalf("DecodeObject(sample): %v", err)
	}
	return doc
}

// set puts value at a dotted path ("address.city"), creating objects on the way; the
// special value del removes the member instead.
func set(doc map[string]any, path string, value any) {
	names := strings.Split(path, ".")
	for _, name := range names[:len(names)-1] {
		next, ok := doc[name].(map[string]any)
		if !ok {
			next = map[string]any{}
			doc[name] = next
		}
		doc = next
	}
	last := names[len(names)-1]
	if value == del {
		delete(doc, last)
		return
	}
	doc[last] = value
}

type deleted struct{}

var del any = deleted{}

// problems returns the field and code of each problem that err lists, messages left out:
// tests assert codes, not wording.
func problems(t *testing.T, err error) []FieldError {
	t.Helper()
	if err == nil {
		return nil
	}
	e := AsError(err)
	if e == nil {
		t.Fatalf("error %v is not an *Error", err)
	}
	var out []FieldError
	for _, d := range e.Details {
		out = append(out, FieldError{Field: d.Field, Code: d.Code})
	}
	return out
}

func validate(t *testing.T, doc map[string]any) (*Personal, error) {
	t.Helper()
	return validateWith(t, DefaultCatalog(), doc, testNow)
}

// validateWith validates doc as a Personal CP+ and reads the data into the typed view,
// which TestTypedViewsMatchSchemas holds equal to the schema.
func validateWith(t *testing.T, c *Catalog, doc map[string]any, now time.Time) (*Personal, error) {
	t.Helper()
	data, err := c.Validate(PersonalCPPlus, doc, now)
	if err != nil {
		return nil, err
	}
	var p Personal
	if err := (&Attributes{Data: data}).Decode(&p); err != nil {
		t.Fatalf("decode data: %v", err)
	}
	return &p, nil
}

func TestValidatePersonalSample(t *testing.T) {
	p, err := validate(t, sample(t))
	if err != nil {
		t.Fatalf("sample refused: %v (%+v)", err, AsError(err).Details)
	}
	doc := &WealthDocument{Document: sampleDoc}
	want := &Personal{
		CustomerName: "MINGMING ZHOU", RegistrationType: "personal", RegistrationID: "EK42900532",
		CountryOfResidence: "CN", DateOfBirth: "1987-07-30", Gender: "MALE", Nationality: "CN",
		Email: "zhou@gmail.com",
		Address: Address{
			Street: "ROOM 503, NO. 3, GUYAN ERLI XIANG 'AN DISTRICT", City: "XIAMEN",
			PostalCode: "100020", State: "XIAMEN", Country: "CN",
		},
		RegistrationIDCountry: "CN", RegistrationIDType: "passport", RegistrationIDExpiryDate: "2033-05-09",
		PurposeOfAccount: "INVESTMENT", BusinessIndustry: "IT_RELATED",
		Occupation:                      "SENIOR_ASSOCIATE_OR_SENIOR_EXECUTIVE",
		ExpectedAnnualTransactionAmount: "5001_TO_10000", ExpectedTransactionSize: "1001_TO_5000",
		ExpectedTransactionFrequency: "AT_LEAST_ONCE_EVERY_2_WEEKS", AnnualIncome: "30001_TO_50000",
		IdentityDocuments: IdentityDocuments{
			Selfie: sampleDoc, ProofOfAddress: sampleDoc, Passport: sampleDoc, IDFront: sampleDoc,
			IDBack: sampleDoc, LivenessSnapshot: sampleDoc, LivenessResult: true,
		},
		TotalWealth: "500001_TO_2000000",
		SourceOfWealth: &SourceOfWealth{
			BusinessOwnership: doc, EmploymentIncome: doc, PropertyOwnership: doc, InvestmentReturns: doc,
			LotteryWinnings: doc, InheritanceGifts: doc, CashSavings: doc,
			Others: &OtherWealth{Details: "test", Document: sampleDoc},
		},
		IPAddresses:       []string{},
		CustomerFirstName: "MINGMING", CustomerLastName: "ZHOU",
	}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("ValidatePersonal(sample) mismatch (-want +got):\n%s", diff)
	}
	if p.IPAddresses == nil {
		t.Errorf("got IPAddresses nil, want an empty slice")
	}
}

// TestValidatePersonalTyped checks the conversions of the typed result: values as sent (not
// trimmed), livenessResult from a string, sourceOfWealth absent, null optionals empty.
func TestValidatePersonalTyped(t *testing.T) {
	doc := sample(t)
	set(doc, "customerFirstName", "  Ming  ")
	set(doc, "identityDocuments.livenessResult", "FALSE")
	set(doc, "sourceOfWealth", del)
	set(doc, "customerName", nil)
	set(doc, "ipAddresses", []any{"8.8.8.8", "2001:db8::1"})
	p, err := validate(t, doc)
	if err != nil {
		t.Fatalf("refused: %+v", problems(t, err))
	}
	got := []any{p.CustomerFirstName, p.IdentityDocuments.LivenessResult, p.SourceOfWealth == nil, p.CustomerName, p.IPAddresses}
	want := []any{"  Ming  ", false, true, "", []string{"8.8.8.8", "2001:db8::1"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("typed result mismatch (-want +got):\n%s", diff)
	}
}

func TestValidatePersonalRequired(t *testing.T) {
	paths := []string{
		"customerFirstName", "customerLastName", "address", "address.street", "address.city",
		"address.country", "countryOfResidence", "dateOfBirth", "email", "gender", "nationality",
		"registrationId", "registrationType", "registrationIdCountry", "registrationIdType",
		"businessIndustry", "occupation", "expectedAnnualTransactionAmount", "expectedTransactionSize",
		"expectedTransactionFrequency", "annualIncome", "identityDocuments",
		"identityDocuments.proofOfAddress", "identityDocuments.passport",
		"identityDocuments.livenessSnapshot", "identityDocuments.livenessResult", "totalWealth",
		"ipAddresses", "purposeOfAccount", "sourceOfWealth.cashSavings.document",
		"sourceOfWealth.others.details", "sourceOfWealth.others.document",
	}
	for _, path := range paths {
		for _, how := range []struct {
			name  string
			value any
		}{{"removed", del}, {"null", nil}, {"blank", " \t "}} {
			if how.name == "blank" && isObjectOrList(path) {
				continue // a blank string in an object's place is a type error, tested elsewhere
			}
			t.Run(path+"/"+how.name, func(t *testing.T) {
				doc := sample(t)
				set(doc, path, how.value)
				_, err := validate(t, doc)
				want := []FieldError{{Field: path, Code: CodeMissing}}
				if diff := cmp.Diff(want, problems(t, err)); diff != "" {
					t.Errorf("problems mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func isObjectOrList(path string) bool {
	switch path {
	case "address", "identityDocuments", "ipAddresses":
		return true
	}
	return false
}

func TestValidatePersonalOptional(t *testing.T) {
	paths := []string{
		"customerName", "customerNativeName", "phoneNo", "address.postalCode", "address.state",
		"registrationIdExpiryDate", "identityDocuments.selfie", "identityDocuments.idFront",
		"identityDocuments.idBack", "sourceOfWealth", "sourceOfWealth.others", "otherPurposeOfAccount",
	}
	for _, path := range paths {
		for _, value := range []any{del, nil} {
			doc := sample(t)
			set(doc, path, value)
			if _, err := validate(t, doc); err != nil {
				t.Errorf("%s = %v: got %+v, want accepted", path, value, problems(t, err))
			}
		}
	}
}

func TestValidatePersonalConditional(t *testing.T) {
	tests := []struct {
		name   string
		change map[string]any
		want   []FieldError
	}{
		{"passport needs passport", map[string]any{"identityDocuments.passport": del},
			[]FieldError{{Field: "identityDocuments.passport", Code: CodeMissing}}},
		{"identity card does not need passport", map[string]any{
			"registrationIdType": "identity_card", "identityDocuments.passport": del}, nil},
		{"identity card needs front and back", map[string]any{
			"registrationIdType": "identity_card", "identityDocuments.idFront": del, "identityDocuments.idBack": nil},
			[]FieldError{
				{Field: "identityDocuments.idFront", Code: CodeMissing},
				{Field: "identityDocuments.idBack", Code: CodeMissing},
			}},
		{"passport does not need front and back", map[string]any{
			"identityDocuments.idFront": del, "identityDocuments.idBack": del}, nil},
		{"invalid id type requires no document", map[string]any{
			"registrationIdType": "licence", "identityDocuments.passport": del},
			[]FieldError{{Field: "registrationIdType", Code: CodeInvalid}}},
		{"OTHERS needs otherPurposeOfAccount", map[string]any{"purposeOfAccount": "OTHERS"},
			[]FieldError{{Field: "otherPurposeOfAccount", Code: CodeMissing}}},
		{"OTHERS with otherPurposeOfAccount", map[string]any{
			"purposeOfAccount": "OTHERS", "otherPurposeOfAccount": "Buying a flat"}, nil},
		{"otherPurposeOfAccount allowed without OTHERS", map[string]any{"otherPurposeOfAccount": "Savings"}, nil},
		{"OTHERS with blank otherPurposeOfAccount", map[string]any{
			"purposeOfAccount": "OTHERS", "otherPurposeOfAccount": "  "},
			[]FieldError{{Field: "otherPurposeOfAccount", Code: CodeMissing}}},
		{"others needs details and document", map[string]any{"sourceOfWealth.others": map[string]any{}},
			[]FieldError{
				{Field: "sourceOfWealth.others.details", Code: CodeMissing},
				{Field: "sourceOfWealth.others.document", Code: CodeMissing},
			}},
		{"each source needs its document", map[string]any{"sourceOfWealth.employmentIncome": map[string]any{}},
			[]FieldError{{Field: "sourceOfWealth.employmentIncome.document", Code: CodeMissing}}},
		{"empty sourceOfWealth", map[string]any{"sourceOfWealth": map[string]any{}}, nil},
		{"business source of wealth", map[string]any{"sourceOfWealth.investorFunds": map[string]any{"document": sampleDoc}},
			[]FieldError{{Field: "sourceOfWealth.investorFunds", Code: CodeInvalid}}},
		{"source of wealth not an object", map[string]any{"sourceOfWealth.cashSavings": sampleDoc},
			[]FieldError{{Field: "sourceOfWealth.cashSavings", Code: CodeInvalid}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := sample(t)
			for path, value := range tt.change {
				set(doc, path, value)
			}
			_, err := validate(t, doc)
			if diff := cmp.Diff(tt.want, problems(t, err)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidatePersonalBusinessSourceMessage(t *testing.T) {
	doc := sample(t)
	set(doc, "sourceOfWealth.investorFunds", map[string]any{"document": sampleDoc})
	_, err := validate(t, doc)
	got := AsError(err).Message
	want := "Invalid sourceOfWealth `investorFunds` for Personal customer profile."
	if got != want {
		t.Errorf("got message %q, want %q", got, want)
	}
}

// create validates doc as a create in a CP+ account does: the kind from registrationType,
// then its schema.
func create(t *testing.T, doc map[string]any) (Data, error) {
	t.Helper()
	k, err := KindOf(ModelCPPlus, doc)
	if err != nil {
		return nil, err
	}
	return DefaultCatalog().Validate(k, doc, testNow)
}

func TestValidatePersonalRegistrationType(t *testing.T) {
	// gender is broken too: other problems are reported only when the type is personal or
	// missing (business is another kind, tested with it).
	refused := []FieldError{{Field: "registrationType", Code: CodeInvalid}}
	badGender := FieldError{Field: "gender", Code: CodeInvalid}
	missing := []FieldError{badGender, {Field: "registrationType", Code: CodeMissing}}
	tests := []struct {
		value any
		want  []FieldError
	}{
		{"personal", []FieldError{badGender}},
		{"Personal", refused},
		{"company", refused},
		{true, refused},
		{del, missing},
		{nil, missing},
		{"  ", missing},
	}
	for _, tt := range tests {
		doc := sample(t)
		set(doc, "registrationType", tt.value)
		set(doc, "gender", "X")
		_, err := create(t, doc)
		if diff := cmp.Diff(tt.want, problems(t, err)); diff != "" {
			t.Errorf("registrationType %v: problems mismatch (-want +got):\n%s", tt.value, diff)
		}
	}
}

func TestValidatePersonalRegistrationTypeMessages(t *testing.T) {
	tests := []struct{ value, want string }{
		{"other", "registrationType must be either business or personal"},
	}
	for _, tt := range tests {
		doc := sample(t)
		set(doc, "registrationType", tt.value)
		_, err := create(t, doc)
		if got := AsError(err).Message; got != tt.want {
			t.Errorf("registrationType %q: got %q, want %q", tt.value, got, tt.want)
		}
	}
}

func TestValidatePersonalUnknownFields(t *testing.T) {
	doc := sample(t)
	set(doc, "phoneNumber", "+65 6123 4567")
	set(doc, "address.zip", "12345")
	set(doc, "address.citty", "XIAMEN")
	set(doc, "identityDocuments.selfy", sampleDoc)
	set(doc, "aaa", 1)
	_, err := validate(t, doc)
	var got []string
	for _, d := range AsError(err).Details {
		got = append(got, d.Code+" "+d.Field+": "+d.Message)
	}
	want := []string{
		"XFE12 address.citty: Unknown field `citty`. Did you mean `city`?",
		"XFE12 address.zip: Unknown field `zip`. Did you mean `city`?",
		"XFE12 identityDocuments.selfy: Unknown field `selfy`. Did you mean `selfie`?",
		"XFE12 aaa: Unknown field `aaa`.",
		"XFE12 phoneNumber: Unknown field `phoneNumber`. Did you mean `phoneNo`?",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unknown fields mismatch (-want +got):\n%s", diff)
	}
}

func TestValidatePersonalManyProblems(t *testing.T) {
	doc := sample(t)
	for path, value := range map[string]any{
		"zzz":                              1,
		"purposeOfAccount":                 "OTHERS",
		"ipAddresses":                      []any{"8.8.8.8", "not an ip", 5},
		"sourceOfWealth.others.details":    del,
		"totalWealth":                      "LOTS",
		"identityDocuments.livenessResult": "maybe",
		"identityDocuments.passport":       del,
		"identityDocuments.selfie":         "not a link",
		"annualIncome":                     del,
		"occupation":                       "Software engineer",
		"registrationId":                   "ab",
		"nationality":                      "SINGAPOREAN",
		"email":                            "zhou",
		"dateOfBirth":                      "2023-02-29",
		"address.country":                  "sg",
		"address.extra":                    "x",
		"address.city":                     del,
		"phoneNo":                          "call me",
		"customerLastName":                 "",
		"customerName":                     "Zoë",
		"registrationType":                 del,
	} {
		set(doc, path, value)
	}
	_, err := validate(t, doc)
	want := []FieldError{
		{Field: "customerName", Code: CodeInvalid},
		{Field: "customerLastName", Code: CodeMissing},
		{Field: "phoneNo", Code: CodeInvalid},
		{Field: "address.city", Code: CodeMissing},
		{Field: "address.country", Code: CodeInvalid},
		{Field: "address.extra", Code: CodeInvalid},
		{Field: "dateOfBirth", Code: CodeInvalid},
		{Field: "email", Code: CodeInvalid},
		{Field: "nationality", Code: CodeInvalid},
		{Field: "registrationId", Code: CodeInvalid},
		{Field: "registrationType", Code: CodeMissing},
		{Field: "occupation", Code: CodeInvalid},
		{Field: "annualIncome", Code: CodeMissing},
		{Field: "identityDocuments.selfie", Code: CodeInvalid},
		{Field: "identityDocuments.passport", Code: CodeMissing},
		{Field: "identityDocuments.livenessResult", Code: CodeInvalid},
		{Field: "totalWealth", Code: CodeInvalid},
		{Field: "sourceOfWealth.others.details", Code: CodeMissing},
		{Field: "ipAddresses[1]", Code: CodeInvalid},
		{Field: "ipAddresses[2]", Code: CodeInvalid},
		{Field: "otherPurposeOfAccount", Code: CodeMissing},
		{Field: "zzz", Code: CodeInvalid},
	}
	if diff := cmp.Diff(want, problems(t, err)); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
	e := AsError(err)
	if e.Status != 400 || e.Code != CodeInvalid || e.Message != e.Details[0].Message {
		t.Errorf("got status %d code %s message %q, want 400, XFE12 and the first problem's message", e.Status, e.Code, e.Message)
	}
}

func TestValidatePersonalEmptyDocument(t *testing.T) {
	_, err := validate(t, map[string]any{})
	var want []FieldError
	for _, f := range []string{
		"customerFirstName", "customerLastName", "address", "countryOfResidence", "dateOfBirth",
		"email", "gender", "nationality", "registrationId", "registrationType",
		"registrationIdCountry", "registrationIdType", "businessIndustry", "occupation",
		"expectedAnnualTransactionAmount", "expectedTransactionSize", "expectedTransactionFrequency",
		"annualIncome", "identityDocuments", "totalWealth", "ipAddresses", "purposeOfAccount",
	} {
		want = append(want, FieldError{Field: f, Code: CodeMissing})
	}
	if diff := cmp.Diff(want, problems(t, err)); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
}

func TestValidatePersonalWrongTypes(t *testing.T) {
	tests := []struct {
		path  string
		value any
		want  string
	}{
		{"ipAddresses", "8.8.8.8", "ipAddresses must be an array of strings"},
		{"ipAddresses", map[string]any{}, "ipAddresses must be an array of strings"},
		{"ipAddresses", []any{nil}, "ipAddresses[0] must be a string"},
		{"customerName", []any{"A"}, "customerName must be a string"},
		{"email", true, "email must be a string"},
		{"dateOfBirth", json.Number("19870730"), "dateOfBirth must be a string"},
		{"address", "1 Main St", "address must be an object"},
		{"address", " ", "address must be an object"},
		{"ipAddresses", "", "ipAddresses must be an array of strings"},
		{"identityDocuments", []any{}, "identityDocuments must be an object"},
		{"sourceOfWealth", "savings", "sourceOfWealth must be an object"},
		{"identityDocuments.livenessResult", json.Number("1"), "identityDocuments.livenessResult must be a boolean"},
		{"customerFirstName", "ab\ncd", "customerFirstName must not contain line breaks, control, formatting (bidirectional or zero-width) characters"},
	}
	for _, tt := range tests {
		doc := sample(t)
		set(doc, tt.path, tt.value)
		_, err := validate(t, doc)
		got := []FieldError{}
		if e := AsError(err); e != nil {
			got = e.Details
		}
		want := []FieldError{{Field: tt.path, Code: CodeInvalid, Message: tt.want}}
		if strings.HasPrefix(tt.want, "ipAddresses[0]") {
			want[0].Field = "ipAddresses[0]"
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s = %v: mismatch (-want +got):\n%s", tt.path, tt.value, diff)
		}
	}
}

func TestDecodePersonal(t *testing.T) {
	c := DefaultCatalog()
	if _, _, err := c.Decode(ModelCPPlus, []byte(sampleRequest), testNow); err != nil {
		t.Errorf("DecodePersonal(sample) = %v, want accepted", err)
	}
	for _, body := range []string{`{"a":1,"a":2}`, `[]`, `{}`, `{"registrationType":"business"}`} {
		_, _, err := c.Decode(ModelCPPlus, []byte(body), testNow)
		if e := AsError(err); e == nil || e.Status != 400 {
			t.Errorf("DecodePersonal(%s) = %v, want a 400 *Error", body, err)
		}
	}
}

func TestRegistrationKey(t *testing.T) {
	tests := []struct{ id, want string }{
		{"EK42900532", "EK42900532"},
		{" s1234567a ", "S1234567A"},
		{"S 1234 567 A", "S1234567A"},
		{"ab-12/3", "AB-12/3"},
	}
	for _, tt := range tests {
		if got := RegistrationKey(tt.id); got != tt.want {
			t.Errorf("RegistrationKey(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}
