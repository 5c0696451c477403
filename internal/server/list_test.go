package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
)

// page is a list response, decoded with the type the server encodes it with.
type page = kyc.Collection

func list(t *testing.T, s *kyctest.Server, key, pathAndQuery string) page {
	t.Helper()
	resp, body := call(t, http.MethodGet, s.URL+pathAndQuery, key, "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", pathAndQuery, resp.StatusCode, body)
	}
	var p page
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("decode page: %v\n%s", err, body)
	}
	return p
}

// createProfiles creates n profiles through the API and returns their ids, oldest first.
func createProfiles(t *testing.T, s *kyctest.Server, key string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		body := kyctest.ValidProfile()
		body["registrationId"] = fmt.Sprintf("S%07dA", i)
		resp, b := postProfile(t, s.URL, key, kyctest.JSON(body))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("create: %d %s", resp.StatusCode, b)
		}
		ids[i] = decodeDoc(t, b).Data.ID
	}
	return ids
}

func ids(p page) []string {
	var out []string
	for _, r := range p.Data {
		out = append(out, r.ID)
	}
	return out
}

func TestListFollowsLinksNext(t *testing.T) {
	s := kyctest.NewServer(t)
	_, otherKey := kyctest.NewAccount(t, s.DB, "other platform")
	created := createProfiles(t, s, s.APIKey, 25)
	createProfiles(t, s, otherKey, 3)

	first := list(t, s, s.APIKey, "/v1/kyc/customer_profiles")
	if len(first.Data) != 10 || first.Meta.Page.Size != 10 || first.Meta.Page.Number != 1 || first.Links.Next == nil {
		t.Fatalf("first page: %d profiles, meta %+v, next %v; want 10 of the default size, and a next link", len(first.Data), first.Meta, first.Links.Next)
	}
	var seen []string
	for p := first; ; {
		seen = append(seen, ids(p)...)
		if p.Links.Next == nil {
			break
		}
		p = list(t, s, s.APIKey, *p.Links.Next)
	}
	if diff := cmp.Diff(created, seen); diff != "" {
		t.Errorf("walk by links.next (-created +seen):\n%s", diff)
	}

	byNumber := list(t, s, s.APIKey, "/v1/kyc/customer_profiles?page[size]=7&page[number]=3&sort=-created_at")
	want := []string{created[10], created[9], created[8], created[7], created[6], created[5], created[4]}
	if diff := cmp.Diff(want, ids(byNumber)); diff != "" {
		t.Errorf("page 3 of 7, newest first (-want +got):\n%s", diff)
	}
	next, _ := url.Parse(*byNumber.Links.Next)
	if q := next.Query(); q.Get("sort") != "-created_at" || q.Get("page[size]") != "7" || q.Has("page[number]") || !q.Has("page[after]") {
		t.Errorf("links.next = %s: want the same sort and size, a cursor and no page number", *byNumber.Links.Next)
	}
	after := list(t, s, s.APIKey, *byNumber.Links.Next)
	if diff := cmp.Diff(created[:4], reversed(ids(after))); diff != "" {
		t.Errorf("the page after page 3 (-want +got):\n%s", diff)
	}
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

func TestListFilters(t *testing.T) {
	s := kyctest.NewServer(t)
	created := createProfiles(t, s, s.APIKey, 3)
	decide(t, s, created[1], `{"data":{"attributes":{"verificationStatus":"verified"}}}`)
	verified, err := s.DB.FindProfileByID(t.Context(), s.AccountID, created[1])
	if err != nil {
		t.Fatal(err)
	}
	justBefore := url.QueryEscape(verified.UpdatedAt.Add(-time.Microsecond).Format(time.RFC3339Nano))

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"filter[registration_id]=s+000000+1a", created[1:2]},
		{"filter[registration_id]=S0000009A", nil},
		{"filter[email]=" + url.QueryEscape(strings.ToUpper(kyctest.ValidProfile()["email"].(string))), created},
		{"filter[email]=nobody@example.com", nil},
		{"filter[verification_status]=verified", created[1:2]},
		{"filter[verification_status]=pending", []string{created[0], created[2]}},
		{"filter[verification_status]=rejected", nil},
		{"filter[created_after]=2000-01-01", created},
		{"filter[created_before]=2000-01-01T00:00:00Z", nil},
		{"filter[updated_after]=" + justBefore, created[1:2]},
		{"filter[updated_before]=2999-12-31T23:59:59%2B08:00&sort=updated_at", []string{created[0], created[2], created[1]}},
		{"idempotency_id=abc", created},
	} {
		t.Run(tc.query, func(t *testing.T) {
			got := list(t, s, s.APIKey, "/v1/kyc/customer_profiles?"+tc.query)
			if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestListRefusesBadParameters(t *testing.T) {
	s := kyctest.NewServer(t)
	cursor := "eyJzIjoiY3JlYXRlZF9hdCIsInQiOiIyMDI2LTAxLTAxVDAwOjAwOjAwWiIsImkiOiJ4In0" // sort created_at
	for _, tc := range []struct{ query, field string }{
		{"page[size]=0", "page[size]"},
		{"page[size]=101", "page[size]"},
		{"page[size]=ten", "page[size]"},
		{"page[number]=0", "page[number]"},
		{"page[number]=-1", "page[number]"},
		{"page[number]=1.5", "page[number]"},
		{"page[after]=not-a-cursor", "page[after]"},
		{"page[after]=" + cursor + "&page[number]=2", "page[after]"},
		{"page[after]=" + cursor + "&sort=-created_at", "page[after]"},
		{"sort=name", "sort"},
		{"sort=created_at&sort=updated_at", "sort"},
		{"filter[created_after]=yesterday", "filter[created_after]"},
		{"filter[created_before]=2025-13-01", "filter[created_before]"},
		{"filter[updated_after]=2025-06-13T10:32:53", "filter[updated_after]"},
		{"filter[updated_before]=13/06/2025", "filter[updated_before]"},
		{"filter[registration_id]=ab", "filter[registration_id]"},
		{"filter[email]=no-at-sign", "filter[email]"},
		{"filter[registration_id]=" + url.QueryEscape("S123<script>"), "filter[registration_id]"},
		{"filter[verification_status]=approved", "filter[verification_status]"},
		{"idempotency_id=", "idempotency_id"},
		{"filter[status]=pending", "filter[status]"},
		{"page[limit]=5", "page[limit]"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			resp, body := call(t, http.MethodGet, s.URL+"/v1/kyc/customer_profiles?"+tc.query, s.APIKey, "", nil)
			e := wantError(t, resp, body, http.StatusBadRequest, kyc.CodeInvalid)
			if len(e.Details) != 1 || e.Details[0].Field != tc.field {
				t.Errorf("details = %+v, want one problem naming %s", e.Details, tc.field)
			}
		})
	}
	t.Run("every problem at once", func(t *testing.T) {
		resp, body := call(t, http.MethodGet, s.URL+"/v1/kyc/customer_profiles?sort=x&page[size]=0&foo=1", s.APIKey, "", nil)
		e := wantError(t, resp, body, http.StatusBadRequest, kyc.CodeInvalid)
		var fields []string
		for _, d := range e.Details {
			fields = append(fields, d.Field)
		}
		if diff := cmp.Diff([]string{"foo", "page[size]", "sort"}, fields); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
	})
	t.Run("malformed query", func(t *testing.T) {
		resp, body := call(t, http.MethodGet, s.URL+"/v1/kyc/customer_profiles?sort=%zz", s.APIKey, "", nil)
		wantError(t, resp, body, http.StatusBadRequest, kyc.CodeInvalid)
	})
}

// TestListWalkWhileCreating follows links.next through every order while profiles are being
// created through the API: every profile that existed before the walk is seen exactly once.
func TestListWalkWhileCreating(t *testing.T) {
	s := kyctest.NewServer(t)
	data := kyctest.Data(t, kyc.PersonalCPPlus, kyctest.ValidProfile())
	var existing []string
	for i := range 600 {
		data["registrationId"] = fmt.Sprintf("E%07dA", i)
		p, err := s.DB.CreateProfile(t.Context(), s.AccountID, kyc.PersonalCPPlus, data)
		if err != nil {
			t.Fatal(err)
		}
		existing = append(existing, p.ID)
	}
	created := 0
	for _, sort := range []string{"created_at", "-created_at", "updated_at", "-updated_at"} {
		t.Run(sort, func(t *testing.T) {
			done := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				for ; ; created++ {
					select {
					case <-done:
						return
					default:
					}
					body := kyctest.ValidProfile()
					body["registrationId"] = fmt.Sprintf("N%07dA", created)
					createQuietly(s, kyctest.JSON(body))
				}
			})
			seen := map[string]int{}
			for p := list(t, s, s.APIKey, "/v1/kyc/customer_profiles?page[size]=50&sort="+sort); ; {
				for _, id := range ids(p) {
					seen[id]++
				}
				if p.Links.Next == nil {
					break
				}
				p = list(t, s, s.APIKey, *p.Links.Next)
			}
			close(done)
			wg.Wait()
			for id, n := range seen {
				if n != 1 {
					t.Errorf("%s seen %d times", id, n)
				}
			}
			for _, id := range existing {
				if seen[id] != 1 {
					t.Errorf("%s seen %d times, want once", id, seen[id])
				}
			}
		})
	}
	if created == 0 {
		t.Error("no profile was created during the walks")
	}
}

// createQuietly creates a profile from a goroutine other than the test's, where t.Fatal
// must not be called. A failed create only means one profile fewer made during the walk.
func createQuietly(s *kyctest.Server, body []byte) {
	req, err := http.NewRequest(http.MethodPost, s.URL+"/v1/kyc/customer_profiles", bytes.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("X-XFERS-APP-API-KEY", s.APIKey)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
