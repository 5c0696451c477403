package kyc

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Retention is how long a profile's personal data is kept after its business relationship
// ended (FATF Recommendation 11: at least five years): calendar years, plus a duration.
type Retention struct {
	Years int
	Extra time.Duration
}

// DefaultRetention is five years.
var DefaultRetention = Retention{Years: 5}

// ParseRetention reads a retention period: whole years ("5y"), whole days ("30d"), or a Go
// duration ("720h", "10m" for a test).
func ParseRetention(s string) (Retention, error) {
	bad := fmt.Errorf("retention %q: whole years (5y), days (30d) or a duration (720h), above 0 (to erase earlier, an operator forces it)", s)
	for unit, years := range map[string]bool{"y": true, "d": false} {
		if n, ok := strings.CutSuffix(s, unit); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v < 1 || v > 100*366 {
				return Retention{}, bad
			}
			if years {
				return Retention{Years: v}, nil
			}
			return Retention{Extra: time.Duration(v) * 24 * time.Hour}, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return Retention{}, bad
	}
	return Retention{Extra: d}, nil
}

// String writes r as ParseRetention reads it.
func (r Retention) String() string {
	switch {
	case r.Extra == 0:
		return strconv.Itoa(r.Years) + "y"
	case r.Years == 0 && r.Extra%(24*time.Hour) == 0:
		return strconv.Itoa(int(r.Extra/(24*time.Hour))) + "d"
	case r.Years == 0:
		return r.Extra.String()
	}
	return strconv.Itoa(r.Years) + "y+" + r.Extra.String()
}

// Ends is when the retention of a relationship closed at closed ends.
func (r Retention) Ends(closed time.Time) time.Time {
	return closed.AddDate(r.Years, 0, 0).Add(r.Extra)
}

// Hold is a legal hold: while it is set, the profile cannot be erased, forced or not.
type Hold struct {
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// Erasure is how a profile's personal data was erased.
type Erasure struct {
	Forced bool   `json:"forced"`           // before the retention period ended
	Reason string `json:"reason,omitempty"` // the operator's, required when forced
	By     string `json:"by"`               // the account id, or the operator's name
}

// ErasureRequest is a request to erase a profile, checked by Erasable.
type ErasureRequest struct {
	Erasure
	Retention Retention
}

// Erasable reports why p cannot be erased at now, or nil: its relationship must be closed
// and its retention period over (unless forced, with a reason), and no legal hold set.
func Erasable(p *Profile, now time.Time, req ErasureRequest) error {
	switch {
	case p.Hold != nil:
		return ErrLegalHold.New()
	case req.Forced && strings.TrimSpace(req.Reason) == "":
		return BadInput("An erasure before the retention period ends needs a reason")
	case req.Forced:
		return nil
	case p.ClosedAt == nil:
		return ErrNotClosed.New()
	case now.Before(req.Retention.Ends(*p.ClosedAt)):
		return ErrRetention.Newf("Customer profile is kept until %s (%s after its relationship closed)",
			req.Retention.Ends(*p.ClosedAt).UTC().Format(time.RFC3339), req.Retention)
	}
	return nil
}

// Tombstone is the document of an erased profile: what is kept of it, no personal data.
type Tombstone struct {
	Data TombstoneResource `json:"data"`
}

// TombstoneResource is an erased profile as the API shows it.
type TombstoneResource struct {
	ID         string              `json:"id"`
	Type       string              `json:"type"`
	Attributes TombstoneAttributes `json:"attributes"`
}

// TombstoneAttributes are the kept members of an erased profile, its status history
// included, so that what happened to it can still be explained.
type TombstoneAttributes struct {
	Kind               string       `json:"kind"`
	RegistrationType   string       `json:"registrationType"`
	VerificationStatus Status       `json:"verificationStatus"`
	CreatedAt          time.Time    `json:"createdAt"`
	UpdatedAt          time.Time    `json:"updatedAt"`
	ClosedAt           *time.Time   `json:"closedAt,omitempty"`
	ErasedAt           time.Time    `json:"erasedAt"`
	ErasureForced      bool         `json:"erasureForced"`
	History            []Transition `json:"history"`
}

// NewTombstone builds the document of the erased profile p.
func NewTombstone(p *Profile, history []Transition) Tombstone {
	a := TombstoneAttributes{
		Kind: p.Kind.Name, RegistrationType: p.Kind.RegistrationType, VerificationStatus: p.Status,
		CreatedAt: p.CreatedAt.UTC().Truncate(time.Second), UpdatedAt: p.UpdatedAt.UTC().Truncate(time.Second),
		ClosedAt: seconds(p.ClosedAt), History: history,
	}
	if p.ErasedAt != nil {
		a.ErasedAt = *seconds(p.ErasedAt)
	}
	if p.Erasure != nil {
		a.ErasureForced = p.Erasure.Forced
	}
	return Tombstone{Data: TombstoneResource{ID: p.ID, Type: ResourceType, Attributes: a}}
}
