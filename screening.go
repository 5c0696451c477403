package kyc

import "time"

// ListSnapshot is one imported version of a sanctions list (GET /v1/screening/lists).
type ListSnapshot struct {
	ID         string     `json:"id"`
	Source     string     `json:"source"`  // ofac, un or custom
	Version    int        `json:"version"` // 1, 2, 3… per source, in the order of import
	Published  *time.Time `json:"publishedAt"`
	SHA256     string     `json:"sha256"`
	Entries    int        `json:"entries"`
	Aliases    int        `json:"aliases"`
	ImportedAt time.Time  `json:"importedAt"`
}

// PartyKind is what a listed party, or a screened subject, is.
type PartyKind string

// The kinds of party. Vessels and aircraft are listed by OFAC; a screened subject is a
// person or an organisation.
const (
	PartyPerson       PartyKind = "person"
	PartyOrganisation PartyKind = "organisation"
	PartyVessel       PartyKind = "vessel"
	PartyAircraft     PartyKind = "aircraft"
)

// BirthDate is a date of birth, full ("1960-01-12") or year only ("1960").
type BirthDate string

// Year is the date's year (0 for an empty date).
func (d BirthDate) Year() int {
	y := 0
	for i := 0; i < len(d) && i < 4; i++ {
		y = y*10 + int(d[i]-'0')
	}
	return y
}

// Full reports whether the date has a month and a day.
func (d BirthDate) Full() bool { return len(d) == 10 }

// ListEntry is one listed party, as read from its list.
type ListEntry struct {
	Ref       string      `json:"ref"` // the publisher's identifier: OFAC ent_num, UN reference number, custom reference
	Kind      PartyKind   `json:"kind"`
	Name      string      `json:"name"`
	Aliases   []string    `json:"aliases,omitempty"`
	Births    []BirthDate `json:"datesOfBirth,omitempty"`
	Countries []string    `json:"countries,omitempty"` // ISO 3166-1 alpha-2: nationality, citizenship, addresses
	Programs  []string    `json:"programs,omitempty"`  // sanctions programmes or UN regimes
}

// ScreeningHit is a list entry that a screened name matched, with why.
type ScreeningHit struct {
	List            string       `json:"list"` // the source: ofac, un, custom (or sandbox)
	SnapshotID      string       `json:"snapshotId"`
	SnapshotVersion int          `json:"snapshotVersion"`
	Entry           ListEntry    `json:"entry"`
	Role            string       `json:"role,omitempty"` // the screened subject's role, as given
	MatchedName     string       `json:"matchedName"`    // the entry's name or alias that matched
	Score           float64      `json:"score"`          // in [0,1]
	Fields          []MatchField `json:"fields"`
}

// MatchField is one part of a hit's score: the name (or alias) similarity, and the date of
// birth and country agreeing or not.
type MatchField struct {
	Field  string  `json:"field"`  // name, alias, dateOfBirth, country
	Effect float64 `json:"effect"` // what it added to the score (negative: took away)
	Detail string  `json:"detail"`
}
