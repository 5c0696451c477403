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
