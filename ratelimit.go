package kyc

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rate is a sustained request rate: Count requests every Per. Written "5/s", "300/m" or
// "1000/h".
type Rate struct {
	Count int
	Per   time.Duration // time.Second, time.Minute or time.Hour
}

// MaxRateCount bounds a rate's count, so that a typo cannot switch limiting off by overflow.
const MaxRateCount = 1_000_000

var ratePeriods = map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour}

// ParseRate reads "N/s", "N/m" or "N/h", with N from 1 to MaxRateCount.
func ParseRate(s string) (Rate, error) {
	count, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	n, err := strconv.Atoi(count)
	per, known := ratePeriods[unit]
	if !ok || err != nil || !known || n < 1 || n > MaxRateCount {
		return Rate{}, fmt.Errorf("a rate is N/s, N/m or N/h with N from 1 to %d, not %q", MaxRateCount, s)
	}
	return Rate{Count: n, Per: per}, nil
}

func (r Rate) String() string {
	for unit, per := range ratePeriods {
		if per == r.Per {
			return strconv.Itoa(r.Count) + "/" + unit
		}
	}
	return fmt.Sprintf("%d/%s", r.Count, r.Per)
}

// MarshalText writes the rate as ParseRate reads it.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads what MarshalText wrote.
func (r *Rate) UnmarshalText(b []byte) error {
	v, err := ParseRate(string(b))
	if err == nil {
		*r = v
	}
	return err
}

// PerSecond is the rate in requests per second.
func (r Rate) PerSecond() float64 { return float64(r.Count) / r.Per.Seconds() }

// MaxBurst bounds an account's burst.
const MaxBurst = 1_000_000

// RateLimit is a token bucket: Burst requests at once at most, refilled at Rate.
type RateLimit struct {
	Rate  Rate
	Burst int
}

// LimitFor is the bucket of account a: its own rate and burst where set, else def's. An
// account with its own rate but no burst may spend one period's count at once.
func (def RateLimit) LimitFor(a *Account) RateLimit {
	l := def
	if a.RateLimit != nil {
		l = RateLimit{Rate: *a.RateLimit, Burst: a.RateLimit.Count}
	}
	if a.Burst > 0 {
		l.Burst = a.Burst
	}
	return l
}
