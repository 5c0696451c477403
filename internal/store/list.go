package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/openkyc/kyc"
)

// The orders a list can take. Each has an index (account_id, column, id), so that both a
// first page and a cursor deep in the list are one index range scan.
const (
	SortCreatedAsc  = "created_at"
	SortCreatedDesc = "-created_at"
	SortUpdatedAsc  = "updated_at"
	SortUpdatedDesc = "-updated_at"
)

// sortSQL is the only place a sort reaches the SQL text: a fixed fragment per known order,
// never the caller's string.
var sortSQL = map[string]struct{ column, cmp, order string }{
	SortCreatedAsc:  {"created_at", ">", "created_at ASC, id ASC"},
	SortCreatedDesc: {"created_at", "<", "created_at DESC, id DESC"},
	SortUpdatedAsc:  {"updated_at", ">", "updated_at ASC, id ASC"},
	SortUpdatedDesc: {"updated_at", "<", "updated_at DESC, id DESC"},
}

// ValidSort reports whether s is one of the Sort constants.
func ValidSort(s string) bool { _, ok := sortSQL[s]; return ok }

// ProfileQuery selects and orders an account's profiles. Zero fields do not filter.
type ProfileQuery struct {
	Sort                        string // a Sort constant; SortCreatedAsc when empty
	CreatedAfter, CreatedBefore time.Time
	UpdatedAfter, UpdatedBefore time.Time
	RegistrationKey             string // kyc.RegistrationKey of a registration id
	Email                       string // an email address, any case
	RegistrationType            string // personal or business
	Status                      kyc.Status
	Limit                       int     // rows per page, at least 1
	Offset                      int     // rows to skip (page numbers); 0 with After
	After                       *Cursor // the position after which the page starts
}

// Cursor is a position in a sorted list: the sort key and id of the last row seen. Its
// String form is opaque to clients.
type Cursor struct {
	Sort string    `json:"s"`
	At   time.Time `json:"t"`
	ID   string    `json:"i"`
}

// String encodes the cursor for a URL: base64url of a small JSON object.
func (c Cursor) String() string {
	b, _ := json.Marshal(c) // strings and a time: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseCursor decodes a cursor made by String.
func ParseCursor(s string) (Cursor, error) {
	var c Cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err == nil && (!ValidSort(c.Sort) || c.ID == "") {
		err = errors.New("incomplete cursor")
	}
	return c, err
}

// FindProfiles returns one page of the account's profiles, and the cursor of the next page
// (nil on the last page). With After, the page starts right after that row, whatever was
// inserted or deleted before it: the query is a range scan on the sort index from the
// cursor's (sort key, id), so page 1000 costs what page 1 costs, unlike an OFFSET.
// The profiles are only to be shown: their attributes come as stored, in Encoded, and Data
// is nil (see FindProfileEncoded).
func (db *DB) FindProfiles(ctx context.Context, accountID string, q ProfileQuery) ([]*kyc.Profile, *Cursor, error) {
	if q.Sort == "" {
		q.Sort = SortCreatedAsc
	}
	sqlText, args := db.listSQL(accountID, q)
	rows, err := db.sql.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: find profiles: %w", err)
	}
	defer rows.Close()
	out := []*kyc.Profile{}
	scan := db.scanProfileAs(ctx, false)
	for rows.Next() {
		p, err := scan(rows)
		if err != nil {
			return nil, nil, fmt.Errorf("store: find profiles: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: find profiles: %w", err)
	}
	return page(out, q)
}

// page cuts the extra row fetched to learn whether a next page exists.
func page(rows []*kyc.Profile, q ProfileQuery) ([]*kyc.Profile, *Cursor, error) {
	if len(rows) <= q.Limit {
		return rows, nil, nil
	}
	rows = rows[:q.Limit]
	last := rows[len(rows)-1]
	at := last.CreatedAt
	if strings.HasSuffix(q.Sort, "updated_at") {
		at = last.UpdatedAt
	}
	return rows, &Cursor{Sort: q.Sort, At: at, ID: last.ID}, nil
}

func (db *DB) listSQL(accountID string, q ProfileQuery) (string, []any) {
	s := sortSQL[q.Sort]
	var b strings.Builder
	args := []any{accountID}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	b.WriteString(`SELECT ` + profileColumns + ` FROM profiles WHERE account_id = $1`)
	timeFilter(&b, arg, "created_at >", q.CreatedAfter)
	timeFilter(&b, arg, "created_at <", q.CreatedBefore)
	timeFilter(&b, arg, "updated_at >", q.UpdatedAfter)
	timeFilter(&b, arg, "updated_at <", q.UpdatedBefore)
	if q.RegistrationKey != "" {
		// Both spellings while rows from before encryption may remain (convert.go). An erased
		// profile's key is followed by a space and its id (see EraseProfile): its tombstone
		// is found too.
		key := db.lookup(hashRegistration, q.RegistrationKey)
		b.WriteString(` AND (registration_key IN (` + arg(key) + `, ` + arg(q.RegistrationKey) + `)` +
			` OR (registration_key > ` + arg(key+" ") + ` AND registration_key < ` + arg(key+"!") + `))`)
	}
	if q.Email != "" {
		b.WriteString(` AND email_key = ` + arg(db.lookup(hashEmail, emailKey(q.Email))))
	}
	if q.RegistrationType != "" {
		b.WriteString(` AND registration_type = ` + arg(q.RegistrationType))
	}
	if q.Status != "" {
		b.WriteString(` AND status = ` + arg(string(q.Status)))
	}
	if c := q.After; c != nil {
		// A row value comparison, which SQLite turns into a range on the index.
		fmt.Fprintf(&b, ` AND (%s, id) %s (%s, %s)`, s.column, s.cmp, arg(micros(c.At)), arg(c.ID))
	}
	fmt.Fprintf(&b, ` ORDER BY %s LIMIT %s OFFSET %s`, s.order, arg(q.Limit+1), arg(q.Offset))
	return b.String(), args
}

func timeFilter(b *strings.Builder, arg func(any) string, cond string, t time.Time) {
	if !t.IsZero() {
		b.WriteString(` AND ` + cond + ` ` + arg(micros(t)))
	}
}
