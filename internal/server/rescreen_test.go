package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/risk"
	"github.com/openkyc/kyc/internal/screening"
	"github.com/openkyc/kyc/internal/server"
)

// importCustom imports a custom deny list of the given CSV rows (after the header) and makes
// the server's index follow.
func importCustom(t *testing.T, s *kyctest.Server, rows ...string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "deny.csv")
	content := strings.Join(append([]string{strings.Join(screening.CustomHeader, ",")}, rows...), "\n") + "\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := screening.ReadFiles(screening.Custom, []string{path})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.DB.ImportList(t.Context(), l); err != nil {
		t.Fatal(err)
	}
	if err := s.API.RefreshLists(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func namedPerson(first, last, regID string) map[string]any {
	body := kyctest.ValidProfile()
	body["customerFirstName"], body["customerLastName"], body["customerName"] = first, last, first+" "+last
	body["registrationId"] = regID
	return body
}

// TestRescreenAlertsOnlyChangedProfiles: after a changed custom list is imported, the
// re-screening alerts exactly the profiles whose matches changed (a newly listed customer,
// a delisted one), not the one still listed the same nor the clean ones; it is interrupted
// after its first batch and resumed by another server over the same database, which goes
// on from the cursor (each profile screened once, each alert raised once); progress is in
// GET /v1/screening/lists. On both databases.
func TestRescreenAlertsOnlyChangedProfiles(t *testing.T) {
	kyctest.EachServer(t, server.Config{Env: server.Production}, func(t *testing.T, s *kyctest.Server) {
		c := client.New(s.URL+"/v1", s.APIKey)
		importCustom(t, s, "Boris Blacklisted,,person,,,deny-1", "Erika Exlisted,,person,,,deny-2")
		newly := createBody(t, c, namedPerson("Dmitri", "Newlylisted", "N0000001"))
		still := createBody(t, c, namedPerson("Boris", "Blacklisted", "N0000002"))
		for i := range 26 {
			createBody(t, c, namedPerson("Clara", "Clean", "C"+strings.Repeat("0", 6)+string(rune('A'+i))))
		}
		delisted := createBody(t, c, namedPerson("Erika", "Exlisted", "N0000003"))
		for _, p := range []*client.Profile{still, delisted} {
			if sc, err := c.ProfileScreening(t.Context(), p.Data.ID); err != nil || len(sc.Hits) != 1 {
				t.Fatalf("screening at create: %+v %v, want one hit", sc, err)
			}
		}

		importCustom(t, s, "Boris Blacklisted,,person,,,deny-1", "Dmitri Newlylisted,,person,,,deny-3")
		if done, err := s.API.RescreenStep(t.Context()); err != nil || done {
			t.Fatalf("first batch: done %v, %v; want 25 of 29 profiles done", done, err)
		}
		if p := rescreenProgress(t, s); p.Screened != 25 || p.Total != 29 || p.Alerts != 1 || p.FinishedAt != nil {
			t.Fatalf("progress after one batch: %+v, want 25 of 29 screened, 1 alert, not finished", p)
		}
		// The process stops here; another server over the same database resumes.
		other := kyctest.Serve(t, s.DB, server.Config{Env: server.Production})
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // a cursor that does not move never finishes
		defer cancel()
		if err := other.API.Rescreen(ctx); err != nil {
			t.Fatal(err)
		}
		if p := rescreenProgress(t, s); p.Screened != 29 || p.Alerts != 2 || p.FinishedAt == nil {
			t.Fatalf("progress after the resumption: %+v, want 29 screened once each, 2 alerts, finished", p)
		}
		if err := other.API.Rescreen(t.Context()); err != nil {
			t.Fatal(err)
		}

		alerts := map[string]kyc.ScreeningAlert{}
		events, err := s.DB.FindWebhookEvents(t.Context(), s.AccountID, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if e.Event != kyc.EventScreeningAlert {
				continue
			}
			var body struct {
				Data struct{ Attributes kyc.ScreeningAlert }
			}
			if err := json.Unmarshal(e.Body, &body); err != nil {
				t.Fatal(err)
			}
			alerts[e.ProfileID] = body.Data.Attributes
		}
		if len(alerts) != 2 || len(alerts[newly.Data.ID].Added) != 1 || alerts[newly.Data.ID].Added[0].Ref != "deny-3" ||
			len(alerts[delisted.Data.ID].Removed) != 1 || alerts[delisted.Data.ID].Removed[0].Ref != "deny-2" {
			t.Fatalf("alert events %+v, want the newly listed (added deny-3) and the delisted (removed deny-2) only", alerts)
		}
		if n := countEvents(t, c, newly.Data.ID, kyc.EventAlert); n != 1 {
			t.Errorf("history of the newly listed: %d alerts, want 1", n)
		}
		if n := countEvents(t, c, still.Data.ID, kyc.EventAlert); n != 0 {
			t.Errorf("history of the one still listed: %d alerts, want none", n)
		}
		if got, _ := c.GetProfile(t.Context(), newly.Data.ID); got.Data.Attributes.RiskRating.Level != "prohibited" {
			t.Errorf("the newly listed profile's rating: %+v, want prohibited", got.Data.Attributes.RiskRating)
		}
	})
}

func rescreenProgress(t *testing.T, s *kyctest.Server) kyc.RescreenProgress {
	t.Helper()
	resp, body := call(t, http.MethodGet, s.URL+"/v1/screening/lists", s.APIKey, "", nil)
	var doc struct {
		Meta struct{ Rescreen *kyc.RescreenProgress }
	}
	if err := json.Unmarshal(body, &doc); err != nil || resp.StatusCode != http.StatusOK || doc.Meta.Rescreen == nil {
		t.Fatalf("GET /v1/screening/lists: %d %s", resp.StatusCode, body)
	}
	return *doc.Meta.Rescreen
}

func countEvents(t *testing.T, c *client.Client, id, event string) int {
	t.Helper()
	history, err := c.ProfileHistory(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, h := range history {
		if h.Event == event {
			n++
		}
	}
	return n
}

// TestNewRulesRerateEveryProfile: a server started with risk rules of another version rates
// every profile again in the background (the history shows the new rating), with no alert
// where the matches stayed the same.
func TestNewRulesRerateEveryProfile(t *testing.T) {
	kyctest.EachServer(t, server.Config{Env: server.Sandbox}, func(t *testing.T, s *kyctest.Server) {
		c := client.New(s.URL+"/v1", s.APIKey)
		body := kyctest.ValidProfile()
		body["purposeOfAccount"], body["otherPurposeOfAccount"] = "OTHERS", "savings for a boat"
		p := createBody(t, c, body)
		if rr := p.Data.Attributes.RiskRating; rr.Score != risk.Default().PurposeOthers {
			t.Fatalf("rating at create: %+v", rr)
		}
		if err := s.API.Rescreen(t.Context()); err != nil { // done for the default rules
			t.Fatal(err)
		}
		rules := *risk.Default()
		rules.Version, rules.PurposeOthers = "2027-01-01", 25
		other := kyctest.Serve(t, s.DB, server.Config{Env: server.Sandbox, RiskRules: &rules})
		if err := other.API.Rescreen(t.Context()); err != nil {
			t.Fatal(err)
		}
		got, err := c.GetProfile(t.Context(), p.Data.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rr := got.Data.Attributes.RiskRating; rr.RulesVersion != "2027-01-01" || rr.Score != 25 || rr.Level != "medium" {
			t.Errorf("rating after the new rules: %+v, want 25 points, medium, version 2027-01-01", rr)
		}
		if n, alerts := countEvents(t, c, p.Data.ID, kyc.EventRiskRated), countEvents(t, c, p.Data.ID, kyc.EventAlert); n != 1 || alerts != 0 {
			t.Errorf("history: %d riskRated entries and %d alerts, want 1 and none", n, alerts)
		}
	})
}
