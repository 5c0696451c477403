package kyc

import (
	"time"
)

// Transaction limits bound what a verified CP+ profile may pay in and out: a personal
// profile per rolling year, a business profile per day, and any single transaction. The
// totals come from the tier the profile's data earns in the limits policy, raised by an
// approved update request; an unverified profile has none. Recorded usage makes the
// "available" amounts mean something.

// LimitsID and LimitsType are the published id and type of a limits document.
const (
	LimitsID   = "default-transaction-limits"
	LimitsType = "transactionLimits"
)

// Usage kinds.
const (
	UsagePayment = "payment"
	UsagePayout  = "payout"
)

// Limits are a profile's limits at a moment, with what is used of them.
type Limits struct {
	ProfileID         string
	Business          bool // daily totals; annual otherwise
	Tier              string
	Payment, Payout   Amount // totals per period
	TransactionSize   Amount
	PaidIn, PaidOut   Amount // used in the current period
	Verified, Granted bool   // the profile is verified; an approval raised the totals
}

// Available is what is left of the kind's total in the current period.
func (l *Limits) Available(kind string) Amount {
	total, used := l.Payment, l.PaidIn
	if kind == UsagePayout {
		total, used = l.Payout, l.PaidOut
	}
	return max(total-used, 0)
}

// Check refuses an amount the limits do not allow, with the published messages.
func (l *Limits) Check(kind string, amount Amount) error {
	switch {
	case !l.Verified:
		return NotAllowed("Customer Profile Is Not Verified")
	case amount > l.TransactionSize:
		return ErrAmountExceedsLimit.New()
	case amount > l.Available(kind) && l.Business:
		return ErrDailyLimit.New()
	case amount > l.Available(kind):
		return ErrAnnualLimit.New()
	}
	return nil
}

// singapore is the day of a business profile's daily limits: StraitsX is in Singapore,
// which keeps UTC+8 all year.
var singapore = time.FixedZone("UTC+8", 8*60*60)

// UsageSince is where the current period of a profile's usage starts at now: the start of
// the day in UTC+8 for a business profile, a year back for a personal one (a rolling
// 12-month period, as published).
func UsageSince(business bool, now time.Time) time.Time {
	if business {
		y, m, d := now.In(singapore).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, singapore)
	}
	return now.AddDate(-1, 0, 0)
}

// LimitsDocument is the published body of GET …/transaction-limits.
type LimitsDocument struct {
	Data struct {
		ID         string           `json:"id"`
		Type       string           `json:"type"`
		Attributes LimitsAttributes `json:"attributes"`
	} `json:"data"`
}

// LimitsAttributes hold either the annual (personal) or the daily (business) members.
type LimitsAttributes struct {
	CustomerProfileID           string `json:"customerProfileId"`
	TotalAnnualPaymentLimit     string `json:"totalAnnualPaymentLimit,omitempty"`
	AvailableAnnualPaymentLimit string `json:"availableAnnualPaymentLimit,omitempty"`
	TotalAnnualPayoutLimit      string `json:"totalAnnualPayoutLimit,omitempty"`
	AvailableAnnualPayoutLimit  string `json:"availableAnnualPayoutLimit,omitempty"`
	TotalDailyPaymentLimit      string `json:"totalDailyPaymentLimit,omitempty"`
	AvailableDailyPaymentLimit  string `json:"availableDailyPaymentLimit,omitempty"`
	TotalDailyPayoutLimit       string `json:"totalDailyPayoutLimit,omitempty"`
	AvailableDailyPayoutLimit   string `json:"availableDailyPayoutLimit,omitempty"`
	TransactionSizeLimit        string `json:"transactionSizeLimit"`
}

// NewLimitsDocument builds the document of l.
func NewLimitsDocument(l *Limits) LimitsDocument {
	var doc LimitsDocument
	doc.Data.ID, doc.Data.Type = LimitsID, LimitsType
	a := &doc.Data.Attributes
	a.CustomerProfileID, a.TransactionSizeLimit = l.ProfileID, l.TransactionSize.String()
	pay, payAvail := l.Payment.String(), l.Available(UsagePayment).String()
	out, outAvail := l.Payout.String(), l.Available(UsagePayout).String()
	if l.Business {
		a.TotalDailyPaymentLimit, a.AvailableDailyPaymentLimit = pay, payAvail
		a.TotalDailyPayoutLimit, a.AvailableDailyPayoutLimit = out, outAvail
	} else {
		a.TotalAnnualPaymentLimit, a.AvailableAnnualPaymentLimit = pay, payAvail
		a.TotalAnnualPayoutLimit, a.AvailableAnnualPayoutLimit = out, outAvail
	}
	return doc
}

// Usage is a payment or payout to record against a profile's limits, once per reference.
type Usage struct {
	Kind      string
	Amount    Amount
	Reference string
}

// UsageConflict refuses a reference used before for another amount or kind (STXE-7000,
// "Duplicated Idempotency Key", 422 as on StraitsX's errors page).
func UsageConflict(reference string) *Error {
	return ErrUsageConflict.Newf("Duplicated Idempotency Key: reference %s has already been used in different request", echo(reference))
}

// LimitsCPPlusOnly refuses limits on a regular CP profile, which has none.
func LimitsCPPlusOnly() *Error {
	return NotAllowed("Transaction limits apply to Customer Profile+ (CP+) profiles only")
}
