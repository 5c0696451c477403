package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/openkyc/kyc"
)

// ListOptions are the parameters of a list call. A zero field is not sent, and the server's
// default applies; the server, not the client, judges the values (400 XFE12 naming the
// parameter).
type ListOptions struct {
	Size   int    // page[size]: 1 to 100; the server's default is 10
	Number int    // page[number], from 1; not with After
	After  string // page[after]: a cursor, from ProfilePage.NextCursor
	Sort   string // "created_at" (the default), "-created_at", "updated_at" or "-updated_at"

	// Exclusive bounds, sent as RFC 3339 with their offset.
	CreatedAfter, CreatedBefore, UpdatedAfter, UpdatedBefore time.Time

	RegistrationID   string     // filter[registration_id], matched on the normalised id
	Status           kyc.Status // filter[verification_status], this server's addition
	RegistrationType string     // filter[registration_type]: "personal" or "business", this server's addition

	// IdempotencyID is idempotency_id, documented by StraitsX for this GET without a stated
	// purpose; this server checks it (1 to 191 characters) and ignores it.
	IdempotencyID string
}

// query encodes the options once, keys sorted: the string returned is the query that is
// sent and signed, byte for byte.
func (o ListOptions) query() string {
	v := url.Values{}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	set("page[size]", itoa(o.Size))
	set("page[number]", itoa(o.Number))
	set("page[after]", o.After)
	set("sort", o.Sort)
	set("filter[created_after]", rfc3339(o.CreatedAfter))
	set("filter[created_before]", rfc3339(o.CreatedBefore))
	set("filter[updated_after]", rfc3339(o.UpdatedAfter))
	set("filter[updated_before]", rfc3339(o.UpdatedBefore))
	set("filter[registration_id]", o.RegistrationID)
	set("filter[verification_status]", string(o.Status))
	set("filter[registration_type]", o.RegistrationType)
	set("idempotency_id", o.IdempotencyID)
	return v.Encode()
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// ProfilePage is one page of a list: the profiles (Data), how the page was cut (Meta), the
// server's links, and the cursor of the next page.
type ProfilePage struct {
	kyc.Collection

	// NextCursor is the page[after] cursor of links.next: set it as ListOptions.After (and
	// clear Number) for the next page. It is "" on the last page.
	NextCursor string
}

// ListProfiles reads one page of the account's profiles.
func (c *Client) ListProfiles(ctx context.Context, opts ListOptions) (*ProfilePage, error) {
	path := "/kyc/customer_profiles"
	if q := opts.query(); q != "" {
		path += "?" + q
	}
	var p ProfilePage
	if err := c.Do(ctx, http.MethodGet, path, nil, &anyList{&p.Collection}); err != nil {
		return nil, err
	}
	cursor, err := cursorOf(p.Links.Next, "page[after]")
	if err != nil {
		return nil, err
	}
	p.NextCursor = cursor
	return &p, nil
}

// anyList decodes a list as this server sends it, a JSON:API collection, or as StraitsX's
// published example shows it: a top-level array of documents ({"data": resource}), without
// paging metadata or links (so AllProfiles stops after it). Elements that are bare
// resources are read too.
type anyList struct{ *kyc.Collection }

func (l *anyList) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '[' {
		return json.Unmarshal(b, l.Collection)
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(b, &elems); err != nil {
		return err
	}
	l.Data = make([]kyc.Resource, len(elems))
	for i, e := range elems {
		var doc struct {
			Data *kyc.Resource `json:"data"`
		}
		doc.Data = &l.Data[i]
		if err := json.Unmarshal(e, &doc); err != nil {
			return err
		}
		if doc.Data == nil || l.Data[i].ID == "" {
			if err := json.Unmarshal(e, &l.Data[i]); err != nil {
				return err
			}
		}
	}
	l.Meta.Page.Count = len(elems)
	return nil
}

// cursorOf takes the cursor out of a links.next reference. The client rebuilds the next
// request from its own options rather than following the link, because the link is
// relative to the server's root while the client's paths are relative to its base URL.
func cursorOf(next *string, param string) (string, error) {
	if next == nil {
		return "", nil
	}
	u, err := url.Parse(*next)
	if err != nil {
		return "", fmt.Errorf("client: links.next: %w", err)
	}
	cursor := u.Query().Get(param)
	if cursor == "" {
		return "", fmt.Errorf("client: links.next carries no %s cursor", param)
	}
	return cursor, nil
}

// AllProfiles walks every page of the list from the page opts names, following the
// cursor, and yields each profile once. It stops at the first error, which it yields, or
// when the loop body breaks. Sorted by created_at, profiles created during the walk cause
// neither duplicates nor gaps.
//
//	for doc, err := range c.AllProfiles(ctx, client.ListOptions{Size: 100}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(doc.Data.ID)
//	}
func (c *Client) AllProfiles(ctx context.Context, opts ListOptions) iter.Seq2[kyc.Document, error] {
	return func(yield func(kyc.Document, error) bool) {
		for {
			page, err := c.ListProfiles(ctx, opts)
			if err != nil {
				yield(kyc.Document{}, err)
				return
			}
			for _, r := range page.Data {
				if !yield(kyc.Document{Data: r}, nil) {
					return
				}
			}
			if page.NextCursor == "" {
				return
			}
			opts.Number, opts.After = 0, page.NextCursor
		}
	}
}
