// Package screening reads sanctions lists (OFAC's SDN CSV set, the UN Security Council's
// consolidated XML, and an operator's own CSV deny list) into one shape, and screens names
// against them: normalised, fuzzy, explained, and fast enough to run inside a request.
//
// Every reader refuses a malformed file as a whole, naming the line or element at fault,
// and bounds what it reads (see the limits below), so a list can never be half-imported and
// a hostile or broken download cannot exhaust the server.
package screening

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"time"

	"github.com/openkyc/kyc"
)

// Source names a list publisher.
type Source string

// The sources a snapshot can come from.
const (
	OFAC   Source = "ofac"   // US Treasury OFAC, Specially Designated Nationals (legacy CSV set)
	UN     Source = "un"     // UN Security Council Consolidated List (XML)
	Custom Source = "custom" // an operator's own deny list (CSV, see ParseCustom)
)

// Sources lists every source, in the order status reports show them.
var Sources = []Source{OFAC, UN, Custom}

// ParseSource returns the Source named s, or an error naming the accepted values.
func ParseSource(s string) (Source, error) {
	for _, src := range Sources {
		if string(src) == s {
			return src, nil
		}
	}
	return "", fmt.Errorf("unknown list source %q: use ofac, un or custom", s)
}

// Kind, Entry and Date are the root package's, named here for brevity.
type (
	Kind  = kyc.PartyKind
	Entry = kyc.ListEntry
	Date  = kyc.BirthDate
)

// The kinds of party.
const (
	Person       = kyc.PartyPerson
	Organisation = kyc.PartyOrganisation
	Vessel       = kyc.PartyVessel
	Aircraft     = kyc.PartyAircraft
)

// List is the content of one list file (or file set) as published.
type List struct {
	Source    Source
	Published *time.Time // the publication time stated in the file; nil when it states none
	SHA256    string     // hex SHA-256 of the bytes read, files in their fixed order
	Entries   []Entry
}

// Aliases counts the aliases of every entry.
func (l *List) Aliases() int {
	n := 0
	for _, e := range l.Entries {
		n += len(e.Aliases)
	}
	return n
}

// ParseDate accepts YYYY-MM-DD (a real calendar date) or YYYY.
func ParseDate(s string) (Date, error) { return kyc.ParseBirthDate(s) }

// Limits bound what a reader accepts. The real lists are far below them (OFAC's sdn.csv is
// 2 MB with 9,000 entries; the UN file 2 MB with 1,000), with room for decades of growth.
const (
	MaxFileBytes   = 64 << 20 // one file
	MaxEntries     = 200_000  // entries of one list
	MaxAliases     = 500      // aliases of one entry
	MaxFieldBytes  = 64 << 10 // one CSV field or XML text (OFAC remarks run to a few KB)
	MaxNameBytes   = 1024     // a name or an alias
	maxBirthsEntry = 50       // dates of birth of one entry, ranges expanded
	maxXMLDepth    = 16       // nesting of the UN file (it uses 4)
)

// fileLimit is MaxFileBytes, lowered by tests so that they need not read 64 MiB.
var fileLimit int64 = MaxFileBytes

// hashedReader bounds a file to MaxFileBytes and feeds what is read into a hash.
type hashedReader struct {
	r    io.Reader
	h    hash.Hash
	name string
	n    int64
}

func newHashedReader(r io.Reader, h hash.Hash, name string) *hashedReader {
	return &hashedReader{r: r, h: h, name: name}
}

func (hr *hashedReader) Read(p []byte) (int, error) {
	n, err := hr.r.Read(p)
	hr.h.Write(p[:n])
	if hr.n += int64(n); hr.n > fileLimit {
		return n, fmt.Errorf("%s: larger than %d bytes", hr.name, fileLimit)
	}
	return n, err
}

func newHash() hash.Hash { return sha256.New() }

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// Loaded is a snapshot with its entries, as the screening index is built from.
type Loaded struct {
	Snapshot kyc.ListSnapshot
	Entries  []Entry
}
