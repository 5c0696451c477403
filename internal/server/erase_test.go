package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/server"
)

// TestEraseAfterRetention walks a profile to its erasure through the API on both
// databases: refused before it is closed, within the retention period, and under a legal
// hold; then erased, leaving a tombstone without personal data, its pending webhook event
// dropped, its registration id free for a returning customer and still finding the
// tombstone; and every step in the audit log.
func TestEraseAfterRetention(t *testing.T) {
	pgtest.EachDB(t, func(t *testing.T, dsn string) {
		clock := kyctest.NewClock(time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC))
		s := kyctest.Serve(t, kyctest.OpenDB(t, dsn), server.Config{Env: server.Sandbox, Now: clock.Now,
			Retention: kyc.Retention{Years: 5}})
		s.AccountID, s.APIKey = kyctest.NewAccount(t, s.DB, "platform")
		body := kyctest.ValidProfile()
		body["customerName"], body["email"] = "ZEBULON QUILL", "zebulon.quill@example.com"
		resp, b := postProfile(t, s.URL, s.APIKey, kyctest.JSON(body))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("create: %d %s", resp.StatusCode, b)
		}
		id := decodeDoc(t, b).Data.ID
		decide(t, s, id, verifyBody) // a webhook event, pending
		rfi := raiseRFI(t, s, id, rfiQuestions)
		if resp, b := call(t, http.MethodPut, rfiURL(s, id)+"/"+rfi.Data.ID, s.APIKey, "application/json", []byte(rfiAnswers)); resp.StatusCode != http.StatusOK {
			t.Fatalf("answer: %d %s", resp.StatusCode, b)
		}
		erase := func() (*http.Response, []byte) {
			return call(t, http.MethodDelete, s.URL+"/v1/kyc/customer_profiles/"+id, s.APIKey, "", nil)
		}

		resp, b = erase()
		if e := wantError(t, resp, b, http.StatusBadRequest, kyc.CodeConditions); !strings.Contains(e.Message, "not closed") {
			t.Errorf("before closing: %q", e.Message)
		}
		resp, b = call(t, http.MethodPost, s.URL+"/v1/kyc/customer_profiles/"+id+"/close", s.APIKey, "", nil)
		if resp.StatusCode != http.StatusOK || decodeDoc(t, b).Data.Attributes.ClosedAt == nil {
			t.Fatalf("close: %d %s", resp.StatusCode, b)
		}
		clock.Advance(5*365*24*time.Hour - time.Hour) // 2031-01-09: a day short of 5 years
		resp, b = erase()
		if e := wantError(t, resp, b, http.StatusBadRequest, kyc.CodeConditions); !strings.Contains(e.Message, "kept until 2031-01-10T09:00:00Z") {
			t.Errorf("within retention: %q", e.Message)
		}
		if _, err := s.DB.HoldProfile(t.Context(), id, "case 2031-17"); err != nil {
			t.Fatal(err)
		}
		clock.Advance(48 * time.Hour)
		resp, b = erase()
		if e := wantError(t, resp, b, http.StatusBadRequest, kyc.CodeConditions); e.Message != "Customer profile is under a legal hold" {
			t.Errorf("under a hold: %q", e.Message)
		}
		if _, err := s.DB.ReleaseProfile(t.Context(), id); err != nil {
			t.Fatal(err)
		}
		resp, b = erase()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("erase: %d %s", resp.StatusCode, b)
		}
		wantTombstone(t, b, id)
		_, b = call(t, http.MethodGet, s.URL+"/v1/kyc/customer_profiles/"+id, s.APIKey, "", nil)
		wantTombstone(t, b, id)
		resp, b = call(t, http.MethodPatch, s.URL+"/v1/kyc/customer_profiles/"+id, s.APIKey, "application/json", []byte(`{"phoneNo":"+6591234567"}`))
		if e := wantError(t, resp, b, http.StatusBadRequest, kyc.CodeConditions); e.Message != "Customer profile was erased" {
			t.Errorf("update of a tombstone: %q", e.Message)
		}

		events, err := s.DB.FindWebhookEvents(t.Context(), s.AccountID, "")
		if err != nil || len(events) != 3 { // verified, and the RFI's sent and received
			t.Fatalf("events: %v %v", events, err)
		}
		e := events[2]
		if e.State != kyc.EventFailed || string(e.Body) != "null" || len(e.Attempts) != 1 || !strings.Contains(e.Attempts[0].Error, "dropped") {
			t.Errorf("the pending event after erasure: %+v", e)
		}
		for _, table := range []string{"profiles", "webhook_events", "profile_history", "rfi_requests", "audit_log"} {
			if n := rowsHolding(t, dsn, table, "ZEBULON", "zebulon.quill", "Tuition", "files.example.com"); n != 0 {
				t.Errorf("%s: %d rows still hold the personal data", table, n)
			}
		}

		_, b = call(t, http.MethodGet, rfiURL(s, id)+"/"+rfi.Data.ID, s.APIKey, "", nil)
		if got := decodeAs[kyc.RFIDocument](t, b); got.Data.Attributes.Active.Status != kyc.RFIExpired || len(got.Data.Attributes.Active.Questions) != 0 {
			t.Errorf("the outstanding RFI after erasure: %s", b)
		}

		// The customer returns: a new profile, and the tombstone is found by registration id.
		resp, b = postProfile(t, s.URL, s.APIKey, kyctest.JSON(kyctest.ValidProfile()))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("create of a returning customer: %d %s", resp.StatusCode, b)
		}
		_, b = call(t, http.MethodGet, s.URL+"/v1/kyc/customer_profiles?filter[registration_id]="+body["registrationId"].(string), s.APIKey, "", nil)
		var list kyc.Collection
		if err := json.Unmarshal(b, &list); err != nil || len(list.Data) != 2 || list.Data[0].ID != id || list.Data[0].Attributes.ErasedAt == nil {
			t.Errorf("list by registration id: %v %s", err, b)
		}

		var actions []string
		for _, r := range auditEvents(t, s, s.APIKey, "?filter[customer_profile_id]="+id+"&page[size]=100").Data {
			actions = append(actions, r.Action+" "+r.Outcome)
		}
		want := "profile.create ok,profile.decide ok,rfi.create ok,rfi.submit ok,profile.erase STXE-4000,profile.close ok,profile.erase STXE-4000," +
			"profile.erase STXE-4000,profile.erase ok,profile.get ok,profile.update STXE-4000,rfi.get ok,profile.list ok"
		if got := strings.Join(actions, ","); got != want {
			t.Errorf("audit records of the profile:\n%s\nwant\n%s", got, want)
		}
	})
}

func wantTombstone(t *testing.T, b []byte, id string) {
	t.Helper()
	var got kyc.Tombstone
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	a := got.Data.Attributes
	if got.Data.ID != id || a.Kind != kyc.PersonalCPPlus.Name || a.ErasedAt.IsZero() || a.ClosedAt == nil ||
		a.VerificationStatus != kyc.StatusVerified || len(a.History) != 2 || a.ErasureForced {
		t.Errorf("tombstone: %s", b)
	}
	if strings.Contains(string(b), "ZEBULON") || strings.Contains(string(b), "registrationId\"") {
		t.Errorf("the tombstone shows personal data: %s", b)
	}
}

// rowsHolding counts the rows of table whose text holds any of the values.
func rowsHolding(t *testing.T, dsn, table string, values ...string) int {
	t.Helper()
	rows, err := kyctest.RawDB(t, dsn).QueryContext(t.Context(), `SELECT * FROM `+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	n := 0
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			var s string
			switch v := v.(type) {
			case string:
				s = v
			case []byte:
				s = string(v)
			}
			for _, want := range values {
				if strings.Contains(s, want) {
					n++
				}
			}
		}
	}
	return n
}
