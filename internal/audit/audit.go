// Package audit is the hash chain of the audit log: the canonical encoding of a record, its
// hash, and the check of a whole chain. The store keeps the records (internal/store,
// audit.go); this package decides what makes them a chain, so that the store that writes
// them and the command that checks them cannot disagree.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/openkyc/kyc"
)

// Genesis is the Prev of the first record: 64 zeros.
var Genesis = strings.Repeat("0", 64)

// Canonical is the encoding a record's hash is taken of: a JSON array of every field but
// the hash itself, in a fixed order, with the time in unix microseconds (the precision the
// store keeps). Prev is in it, so that each record seals the whole chain before it. Counts,
// when a record has any, come last (a JSON object, its keys sorted): a record without them
// encodes as records did before counts existed, so older chains still verify.
func Canonical(r *kyc.AuditRecord) []byte {
	targets := r.Targets
	if targets == nil {
		targets = []string{}
	}
	fields := []any{r.Seq, r.At.UnixMicro(), r.Actor.Type, r.Actor.ID, r.Actor.APIKeyID, r.Action, targets,
		r.RequestID, r.Outcome, r.Prev}
	if len(r.Counts) > 0 {
		fields = append(fields, r.Counts)
	}
	b, _ := json.Marshal(fields) // strings, ints, a []string and a map of ints: cannot fail
	return b
}

// Hash is the hex SHA-256 of the record's canonical encoding.
func Hash(r *kyc.AuditRecord) string {
	sum := sha256.Sum256(Canonical(r))
	return hex.EncodeToString(sum[:])
}

// Seal sets r's Seq, Prev and Hash to follow the record whose seq and hash are given.
func Seal(r *kyc.AuditRecord, prevSeq int64, prevHash string) {
	r.Seq, r.Prev = prevSeq+1, prevHash
	r.Hash = Hash(r)
}

// Verifier checks a chain record by record, in the order of their seq: see Next.
type Verifier struct {
	seq  int64
	hash string
}

// NewVerifier starts a check at the first record.
func NewVerifier() *Verifier { return &Verifier{hash: Genesis} }

// BrokenError names the first record at which a chain is broken, and how.
type BrokenError struct {
	Seq    int64 // the record at fault (for a missing record, the seq expected there)
	Reason string
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("audit log broken at record %d: %s", e.Seq, e.Reason)
}

// Next checks the next record as read from storage: its seq follows the previous one
// (a gap is a record removed), its Prev is the previous record's hash (a record moved or
// rewritten with its hash), and its Hash is the hash of its content (a record edited).
func (v *Verifier) Next(r *kyc.AuditRecord) error {
	switch {
	case r.Seq != v.seq+1:
		return &BrokenError{v.seq + 1, fmt.Sprintf("record %d is missing (the next one read is %d)", v.seq+1, r.Seq)}
	case r.Hash != Hash(r):
		return &BrokenError{r.Seq, "its content does not match its hash (edited)"}
	case r.Prev != v.hash:
		return &BrokenError{r.Seq, fmt.Sprintf("its previous hash does not match record %d (removed, reordered or rewritten)", v.seq)}
	}
	v.seq, v.hash = r.Seq, r.Hash
	return nil
}

// End checks that the chain ends where its head says: the last record's seq and hash.
// Records removed from the end are found here.
func (v *Verifier) End(headSeq int64, headHash string) error {
	switch {
	case headSeq != v.seq:
		return &BrokenError{v.seq + 1, fmt.Sprintf("the log ends at record %d but its head names record %d", v.seq, headSeq)}
	case headHash != v.hash:
		return &BrokenError{v.seq, "the last record does not match the hash its head keeps (rewritten)"}
	}
	return nil
}

// Checked is how many records have been checked so far.
func (v *Verifier) Checked() int64 { return v.seq }
