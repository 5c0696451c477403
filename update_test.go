package kyc_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
)

func TestUpdatePersonal(t *testing.T) {
	cat := kyc.DefaultCatalog()
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	body := kyctest.ValidProfile()
	body["phoneNo"] = "+65 6123 4567"
	current, err := cat.Validate(kyc.PersonalCPPlus, decode(t, string(kyctest.JSON(body))), now)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		patch    string
		change   func(p *kyc.Personal)
		wantCode string
		wantPath string
	}{
		{"empty patch", `{}`, func(*kyc.Personal) {}, "", ""},
		{"top-level field", `{"email":"new@example.com"}`, func(p *kyc.Personal) { p.Email = "new@example.com" }, "", ""},
		{"nested merge keeps siblings", `{"address":{"city":"SINGAPORE"}}`, func(p *kyc.Personal) { p.Address.City = "SINGAPORE" }, "", ""},
		{"null removes an optional nested field", `{"address":{"state":null}}`, func(p *kyc.Personal) { p.Address.State = "" }, "", ""},
		{"null removes an optional field", `{"phoneNo":null,"sourceOfWealth":null}`, func(p *kyc.Personal) { p.PhoneNo, p.SourceOfWealth = "", nil }, "", ""},
		{"array replaced whole", `{"ipAddresses":["1.1.1.1","::1"]}`, func(p *kyc.Personal) { p.IPAddresses = []string{"1.1.1.1", "::1"} }, "", ""},
		{"same registrationType", `{"registrationType":"personal"}`, func(*kyc.Personal) {}, "", ""},
		{"identity card with its documents", `{"registrationIdType":"identity_card","identityDocuments":{"idFront":"https://x.example.com/f.jpg","idBack":"https://x.example.com/b.jpg"}}`,
			func(p *kyc.Personal) {
				p.RegistrationIDType = "identity_card"
				p.IdentityDocuments.IDFront, p.IdentityDocuments.IDBack = "https://x.example.com/f.jpg", "https://x.example.com/b.jpg"
			}, "", ""},

		{"null removes a required field", `{"email":null}`, nil, kyc.CodeMissing, "email"},
		{"null removes a required nested field", `{"address":{"city":null}}`, nil, kyc.CodeMissing, "address.city"},
		{"identity card needs idFront", `{"registrationIdType":"identity_card"}`, nil, kyc.CodeMissing, "identityDocuments.idFront"},
		{"OTHERS needs otherPurposeOfAccount", `{"purposeOfAccount":"OTHERS"}`, nil, kyc.CodeMissing, "otherPurposeOfAccount"},
		{"invalid value", `{"gender":"male"}`, nil, kyc.CodeInvalid, "gender"},
		{"unknown field", `{"phoneNumber":"+65 6123 4567"}`, nil, kyc.CodeInvalid, "phoneNumber"},
		{"registrationType changed", `{"registrationType":"business"}`, nil, kyc.CodeInvalid, "registrationType"},
		{"registrationType removed", `{"registrationType":null}`, nil, kyc.CodeInvalid, "registrationType"},
		{"read-only member", `{"verificationStatus":"verified"}`, nil, kyc.CodeInvalid, "verificationStatus"},
		{"object replaced by a string", `{"address":"somewhere"}`, nil, kyc.CodeInvalid, "address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cat.Update(kyc.PersonalCPPlus, current, decode(t, tc.patch), now)
			if tc.wantCode != "" {
				e := kyc.AsError(err)
				if e == nil || e.Code != tc.wantCode || e.Details[0].Field != tc.wantPath {
					t.Fatalf("got %v, want %s on %s", err, tc.wantCode, tc.wantPath)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := typed(t, current)
			tc.change(want)
			if diff := cmp.Diff(want, typed(t, got)); diff != "" {
				t.Errorf("merged profile (-want +got):\n%s", diff)
			}
		})
	}
}

// typed reads data into the Personal CP+ typed view.
func typed(t *testing.T, d kyc.Data) *kyc.Personal {
	t.Helper()
	var p kyc.Personal
	if err := (&kyc.Attributes{Data: d}).Decode(&p); err != nil {
		t.Fatal(err)
	}
	return &p
}

// dataOf is the Data a typed view holds.
func dataOf(t *testing.T, v any) kyc.Data {
	t.Helper()
	d, err := kyc.DecodeData(kyctest.JSON(v))
	if err != nil {
		t.Fatal(err)
	}
	return d
}
