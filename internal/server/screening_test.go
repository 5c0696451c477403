package server_test

import (
	"net/http"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/listtest"
	"github.com/openkyc/kyc/internal/screening"
	"github.com/openkyc/kyc/internal/server"
)

func TestSandboxMagicNamesHit(t *testing.T) {
	s := kyctest.NewServer(t)
	c := client.New(s.URL+"/v1", s.APIKey)
	for _, e := range screening.SandboxEntries {
		res, err := c.ScreenName(t.Context(), kyc.ScreeningQuery{Type: kindOf(e.Kind), Name: e.Name})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 || res.Hits[0].Entry.Ref != e.Ref || res.Hits[0].List != "sandbox" || res.Hits[0].Score < screening.DefaultThreshold {
			t.Errorf("%s: hits %+v, want the sandbox entry %s", e.Name, res.Hits, e.Ref)
		}
	}
	res, err := c.ScreenName(t.Context(), kyc.ScreeningQuery{Type: kyc.PartyPerson, Name: "Sandy Sanctioned", DateOfBirth: "1988-05-05", Country: "FR"})
	if err != nil || len(res.Hits) != 0 {
		t.Errorf("the magic name born 18 years later elsewhere: %+v %v, want no hit", res, err)
	}
	res, err = c.ScreenName(t.Context(), kyc.ScreeningQuery{Type: kyc.PartyPerson, Name: "Alice Innocent"})
	if err != nil || len(res.Hits) != 0 || res.AlgorithmVersion != screening.AlgorithmVersion || len(res.Lists) != 1 {
		t.Errorf("an innocent name: %+v %v, want no hit, the algorithm and the sandbox list", res, err)
	}
}

func kindOf(k screening.Kind) kyc.PartyKind {
	if k == screening.Person {
		return kyc.PartyPerson
	}
	return kyc.PartyOrganisation
}

func TestScreeningSearchRealLists(t *testing.T) {
	ofac, un := listtest.Real(t)
	s := kyctest.NewServerWith(t, server.Config{Env: server.Production})
	c := client.New(s.URL+"/v1", s.APIKey)
	_, err := c.ScreenName(t.Context(), kyc.ScreeningQuery{Type: kyc.PartyPerson, Name: "Ayman al-Zawahiri"})
	if e := kyc.AsError(err); e == nil || e.Code != kyc.CodeConditions {
		t.Fatalf("no list imported: err %v, want STXE-4000", err)
	}
	for _, l := range []*screening.List{ofac, un} {
		if _, _, err := s.DB.ImportList(t.Context(), l); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.API.RefreshLists(t.Context()); err != nil {
		t.Fatal(err)
	}
	res, err := c.ScreenName(t.Context(), kyc.ScreeningQuery{Type: kyc.PartyPerson, Name: "Zawahiri, Ayman", DateOfBirth: "1951-06-19", Country: "EG"})
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]bool{}
	for _, h := range res.Hits {
		lists[h.List+":"+h.Entry.Ref] = true
	}
	if !lists["ofac:2676"] || len(res.Lists) != 2 || res.Threshold != screening.DefaultThreshold {
		t.Fatalf("hits %+v over %+v, want OFAC entry 2676 among them", res.Hits, res.Lists)
	}
	if f := res.Hits[0].Fields; len(f) < 2 || f[1].Field != "dateOfBirth" || f[1].Effect <= 0 {
		t.Errorf("fields %+v, want the name and the date of birth that agrees", f)
	}
}

func TestScreeningSearchRefusals(t *testing.T) {
	s := kyctest.NewServer(t)
	for name, tc := range map[string]struct {
		body  string
		field string
		code  string
	}{
		"no type":       {`{"data":{"attributes":{"name":"A"}}}`, "data.attributes.type", kyc.CodeMissing},
		"bad type":      {`{"data":{"attributes":{"type":"vessel","name":"A"}}}`, "data.attributes.type", kyc.CodeInvalid},
		"empty name":    {`{"data":{"attributes":{"type":"person","name":""}}}`, "data.attributes.name", kyc.CodeInvalid},
		"line break":    {`{"data":{"attributes":{"type":"person","name":"A\nB"}}}`, "data.attributes.name", kyc.CodeInvalid},
		"bad date":      {`{"data":{"attributes":{"type":"person","name":"A","dateOfBirth":"1990-02-30"}}}`, "data.attributes.dateOfBirth", kyc.CodeInvalid},
		"bad country":   {`{"data":{"attributes":{"type":"person","name":"A","country":"UK"}}}`, "data.attributes.country", kyc.CodeInvalid},
		"unknown field": {`{"data":{"attributes":{"type":"person","name":"A","nationality":"SG"}}}`, "data.attributes.nationality", kyc.CodeInvalid},
		"not a string":  {`{"data":{"attributes":{"type":"person","name":7}}}`, "data.attributes.name", kyc.CodeInvalid},
	} {
		t.Run(name, func(t *testing.T) {
			resp, body := call(t, http.MethodPost, s.URL+"/v1/screening/search", s.APIKey, "application/json", []byte(tc.body))
			e := wantError(t, resp, body, http.StatusBadRequest, tc.code)
			if len(e.Details) != 1 || e.Details[0].Field != tc.field {
				t.Errorf("details %+v, want one for %s", e.Details, tc.field)
			}
		})
	}
}
