package kyc_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
)

func TestDecide(t *testing.T) {
	yes, no := true, false
	const (
		pending, verified, rejected = kyc.StatusPending, kyc.StatusVerified, kyc.StatusRejected
	)
	for _, tc := range []struct {
		name     string
		from     kyc.Status
		decision kyc.Decision
		want     *kyc.Rejection
		wantCode string
	}{
		{"pending to verified", pending, kyc.Decision{Status: verified}, nil, ""},
		{"pending to rejected, no codes", pending, kyc.Decision{Status: rejected},
			&kyc.Rejection{Retryable: true, Summary: "The profile was rejected in review.", Codes: []int{}}, ""},
		{"pending to rejected, retryable codes", pending, kyc.Decision{Status: rejected, Codes: []int{101, 203, 101}},
			&kyc.Rejection{Retryable: true, Summary: "The ID document has expired. The proof of address document is illegible or blurred.", Codes: []int{101, 203}}, ""},
		{"a policy code is not retryable", pending, kyc.Decision{Status: rejected, Codes: []int{101, 502}},
			&kyc.Rejection{Retryable: false, Summary: "The ID document has expired. Rejected due to DND country.", Codes: []int{101, 502}}, ""},
		{"stricter than the codes", pending, kyc.Decision{Status: rejected, Codes: []int{101}, Retryable: &no, Summary: "Fraud suspected"},
			&kyc.Rejection{Retryable: false, Summary: "Fraud suspected", Codes: []int{101}}, ""},
		{"verified revoked", verified, kyc.Decision{Status: rejected, Codes: []int{501}},
			&kyc.Rejection{Retryable: false, Summary: "Rejected due to StraitsX policy.", Codes: []int{501}}, ""},

		{"verified again", verified, kyc.Decision{Status: verified}, nil, kyc.CodeConditions},
		{"rejected to verified", rejected, kyc.Decision{Status: verified}, nil, kyc.CodeConditions},
		{"rejected again", rejected, kyc.Decision{Status: rejected}, nil, kyc.CodeConditions},
		{"decide pending", pending, kyc.Decision{Status: pending}, nil, kyc.CodeInvalid},
		{"unknown status", pending, kyc.Decision{Status: "approved"}, nil, kyc.CodeInvalid},
		{"unknown code", pending, kyc.Decision{Status: rejected, Codes: []int{100}}, nil, kyc.CodeInvalid},
		{"retryable with a policy code", pending, kyc.Decision{Status: rejected, Codes: []int{503}, Retryable: &yes}, nil, kyc.CodeInvalid},
		{"codes with verified", pending, kyc.Decision{Status: verified, Codes: []int{101}}, nil, kyc.CodeInvalid},
		{"isRetryable with verified", pending, kyc.Decision{Status: verified, Retryable: &yes}, nil, kyc.CodeInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := kyc.Decide(tc.from, tc.decision)
			if code := errCode(err); code != tc.wantCode {
				t.Fatalf("error code = %q, want %q (%v)", code, tc.wantCode, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("rejection (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStatusAfterUpdate(t *testing.T) {
	retryable := &kyc.Rejection{Retryable: true, Codes: []int{101}}
	final := &kyc.Rejection{Retryable: false, Codes: []int{501}}
	old := kyc.Personal{CustomerFirstName: "MING", Email: "a@example.com", IPAddresses: []string{"8.8.8.8"}}
	contact := old
	contact.Email, contact.PhoneNo, contact.IPAddresses = "b@example.com", "+65 6123 4567", nil
	identity := old
	identity.CustomerFirstName = "MEI"
	address := old
	address.Address.City = "XIAMEN"
	for _, tc := range []struct {
		name     string
		from     kyc.Status
		rej      *kyc.Rejection
		next     kyc.Personal
		want     kyc.Status
		wantCode string
	}{
		{"pending stays pending", kyc.StatusPending, nil, identity, kyc.StatusPending, ""},
		{"verified, contact change", kyc.StatusVerified, nil, contact, kyc.StatusVerified, ""},
		{"verified, identity change", kyc.StatusVerified, nil, identity, kyc.StatusPending, ""},
		{"verified, address change", kyc.StatusVerified, nil, address, kyc.StatusPending, ""},
		{"retryable rejection resubmitted", kyc.StatusRejected, retryable, contact, kyc.StatusPending, ""},
		{"final rejection", kyc.StatusRejected, final, identity, "", kyc.CodeConditions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := kyc.StatusAfterUpdate(tc.from, tc.rej, kyc.PersonalCPPlus, dataOf(t, old), dataOf(t, tc.next))
			if code := errCode(err); code != tc.wantCode {
				t.Fatalf("error code = %q, want %q (%v)", code, tc.wantCode, err)
			}
			if got != tc.want {
				t.Errorf("status = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRejectionCatalogStaysInDocumentedRanges(t *testing.T) {
	seen := map[int]bool{}
	for _, r := range kyc.RejectionReasons() {
		if seen[r.Code] || r.Code < 101 || r.Code > 599 || r.Reason == "" || r.Message == "" {
			t.Errorf("bad catalog entry %+v", r)
		}
		seen[r.Code] = true
		if policy := r.Code >= 501; policy == r.Retryable {
			t.Errorf("code %d: retryable = %v, want %v", r.Code, r.Retryable, !policy)
		}
	}
}

func errCode(err error) string {
	if err == nil {
		return ""
	}
	if e := kyc.AsError(err); e != nil {
		return e.Code
	}
	return "not a *kyc.Error: " + err.Error()
}
