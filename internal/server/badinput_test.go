package server_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
)

func TestBadInput(t *testing.T) {
	s := kyctest.NewServer(t)
	valid := kyctest.JSON(kyctest.ValidProfile())
	wrongType := kyctest.ValidProfile()
	wrongType["ipAddresses"] = "8.8.8.8"
	huge := append([]byte(`{"customerName":"`), bytes.Repeat([]byte("a"), 1<<20)...)

	for _, tc := range []struct {
		name        string
		contentType string
		body        []byte
		status      int
		code        string
		field       string // the field the first problem names, if any
	}{
		{"body over 1 MiB", "application/json", huge, http.StatusRequestEntityTooLarge, kyc.CodeInvalid, ""},
		{"form content type", "application/x-www-form-urlencoded", valid, http.StatusUnsupportedMediaType, kyc.CodeInvalid, ""},
		{"no content type", "", valid, http.StatusUnsupportedMediaType, kyc.CodeInvalid, ""},
		{"malformed JSON", "application/json", []byte(`{"customerName": "x",`), http.StatusBadRequest, kyc.CodeInvalid, ""},
		{"trailing data", "application/json", append(valid, []byte(` {}`)...), http.StatusBadRequest, kyc.CodeInvalid, ""},
		{"array body", "application/json", []byte(`[]`), http.StatusBadRequest, kyc.CodeInvalid, ""},
		{"empty body", "application/json", nil, http.StatusBadRequest, kyc.CodeInvalid, ""},
		{"wrong JSON type", "application/json", kyctest.JSON(wrongType), http.StatusBadRequest, kyc.CodeInvalid, "ipAddresses"},
		{"empty object", "application/json", []byte(`{}`), http.StatusBadRequest, kyc.CodeMissing, "customerFirstName"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := call(t, http.MethodPost, s.URL+"/v1/kyc/customer_profiles", s.APIKey, tc.contentType, tc.body)
			e := wantError(t, resp, body, tc.status, tc.code)
			if tc.field != "" && (len(e.Details) == 0 || e.Details[0].Field != tc.field) {
				t.Errorf("details = %+v, want the first naming %s", e.Details, tc.field)
			}
		})
	}
}

func TestWrongTypeNamesFieldAndType(t *testing.T) {
	s := kyctest.NewServer(t)
	p := kyctest.ValidProfile()
	p["ipAddresses"] = "8.8.8.8"
	resp, body := postProfile(t, s.URL, s.APIKey, kyctest.JSON(p))
	e := wantError(t, resp, body, http.StatusBadRequest, kyc.CodeInvalid)
	if !strings.Contains(e.Message, "ipAddresses") || !strings.Contains(e.Message, "array") {
		t.Errorf("message %q should name the field and the type expected", e.Message)
	}
}

func TestEveryProblemReportedAtOnce(t *testing.T) {
	s := kyctest.NewServer(t)
	p := kyctest.ValidProfile()
	delete(p, "email")
	p["gender"] = "male"
	p["address"].(map[string]any)["city"] = nil
	p["registrationIdType"] = "identity_card" // and no idFront/idBack
	resp, body := postProfile(t, s.URL, s.APIKey, kyctest.JSON(p))
	e := wantError(t, resp, body, http.StatusBadRequest, kyc.CodeMissing)
	var got []string
	for _, d := range e.Details {
		got = append(got, d.Code+" "+d.Field)
	}
	want := []string{"XFE15 address.city", "XFE15 email", "XFE12 gender",
		"XFE15 identityDocuments.idFront", "XFE15 identityDocuments.idBack"}
	for _, w := range want {
		if !strings.Contains(strings.Join(got, "\n"), w) {
			t.Errorf("details %v lack %q", got, w)
		}
	}
	if e.Message != e.Details[0].Message || e.Code != e.Details[0].Code {
		t.Errorf("flat error %q/%s is not the first detail %+v", e.Message, e.Code, e.Details[0])
	}
}
