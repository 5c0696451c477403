package console

import (
	"crypto/subtle"
	"net/url"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP: RFC 6238 codes of 6 digits over 30-second steps (what every authenticator app
// reads from an otpauth:// link), accepted one step either side for clock drift. Each
// accepted code's step is recorded, and a code of a step not after the last one is refused,
// so that a code seen over a shoulder cannot be used again.
const (
	totpPeriod = 30
	totpSkew   = 1
	totpIssuer = "KYC review console"
)

// NewTOTPKey makes a secret for the reviewer with the email (the label their app shows).
func NewTOTPKey(email string) (*otp.Key, error) {
	return totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: email, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// TOTPKey is the key of a stored secret, for its otpauth:// link and QR code.
func TOTPKey(secret, email string) (*otp.Key, error) {
	q := url.Values{"secret": {secret}, "issuer": {totpIssuer}, "period": {"30"}, "digits": {"6"}, "algorithm": {"SHA1"}}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + totpIssuer + ":" + email, RawQuery: q.Encode()}
	return otp.NewKeyFromURL(u.String())
}

// CheckTOTP returns the step of code if it is valid at now for secret and of a step after
// lastStep; ok is false otherwise.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	if len(code) != 6 {
		return 0, false
	}
	current := now.Unix() / totpPeriod
	for s := current - totpSkew; s <= current+totpSkew; s++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totp.ValidateOpts{
			Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && s > lastStep {
			return s, true
		}
	}
	return 0, false
}
