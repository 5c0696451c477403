package kyc

import (
	"regexp"
	"strconv"
	"strings"
)

// Amount is an amount of US dollars in millionths: exact for every amount a stablecoin
// payment can carry (6 decimals), and summed without rounding.
type Amount int64

// MaxAmount bounds every amount read: a trillion dollars, far above any limit, and far
// below where sums of them could overflow.
const MaxAmount Amount = 1e12 * 1e6

// AmountPattern is the format of an amount string, valid RE2 and ECMA-262 alike: the
// OpenAPI document's pattern for amounts is this one, and a test keeps them equal.
const AmountPattern = `^[0-9]{1,13}(\.[0-9]{1,6})?$`

var reAmount = regexp.MustCompile(AmountPattern)

// ParseAmount reads a decimal string of dollars ("300000", "12.5", "0.000001"), as the
// contract writes amounts: no sign, exponent or grouping, at most 6 decimals, at most
// MaxAmount.
func ParseAmount(s string) (Amount, bool) {
	if !reAmount.MatchString(s) {
		return 0, false
	}
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	f, _ := strconv.ParseInt((frac + "000000")[:6], 10, 64)
	a := Amount(w)*1e6 + Amount(f)
	return a, a <= MaxAmount
}

// String writes a as the published examples do: "1000000.0", "12.5", "0.000001".
func (a Amount) String() string {
	frac := strings.TrimRight(strconv.FormatInt(int64(a%1e6)+1e6, 10)[1:], "0")
	if frac == "" {
		frac = "0"
	}
	return strconv.FormatInt(int64(a/1e6), 10) + "." + frac
}
