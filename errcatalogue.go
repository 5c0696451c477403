package kyc

import (
	"fmt"
	"net/http"
	"time"
)

// The catalogue of API errors: every error the service sends is an occurrence of one of the
// rows below, and no package below this one chooses an HTTP status. A test
// (errcatalogue_test.go) holds the rows to StraitsX's published tables: §4.3 (create
// errors), §8 (the STXE classes) and the request-signing table of §2.2; the rows that depart
// from them are listed there with their reason, and documented in README or COMPATIBILITY.
//
// To add an error: add a row here (and a code above it if it is new), then use
// ErrX.New() or ErrX.Newf(…) where it happens; errors.Is(err, ErrX) recognises it anywhere.

// Codes carried in the "error_code" member of every error body. The XFE codes are
// StraitsX's legacy codes, still used by the customer-profile endpoints; the STXE codes are
// the newer classes used for authentication, request signing and business rules.
const (
	CodeInvalid          = "XFE12" // invalid parameter
	CodeNotFound         = "XFE13" // record not found
	CodeMissing          = "XFE15" // required parameter empty
	CodeDuplicate        = "XFE16" // duplicated request
	CodeInternal         = "XFE3"  // internal error
	CodeUnauthorized     = "STXE-1000"
	CodeForbidden        = "STXE-2000"
	CodeBadRequest       = "STXE-3000"
	CodeConditions       = "STXE-4000"
	CodeNoRecord         = "STXE-5000"
	CodeSandboxOnly      = "STXE-6000"
	CodeDuplicateKey     = "STXE-7000"
	CodeFailedDependency = "STXE-8000"
	CodeRateLimited      = "STXE-9000"
	CodeUnavailable      = "STXE-9100"
)

// The "error_handling" remedy texts. The first three are the published ones.
const (
	HandlingInvalid  = "Make sure you entered the correct parameters."
	HandlingMissing  = "Make sure you entered the correct required parameter."
	HandlingNotFound = "Please check that you provided the correct API Key and the correct parameters."
	handlingRoutes   = "Check the method and path against the API reference at /openapi.yaml."
	handlingNoRecord = "The requested resource could not be found. Please ensure that you have provided valid parameters and try again."
)

// The profile endpoints: XFE codes in the flat shape.
var (
	ErrMissing = newKind(ErrorKind{Code: CodeMissing, Status: http.StatusBadRequest, Shape: ShapeFlat,
		Handling: HandlingMissing})
	ErrInvalid = newKind(ErrorKind{Code: CodeInvalid, Status: http.StatusBadRequest, Shape: ShapeFlat,
		Handling: HandlingInvalid})
	ErrNotFound = newKind(ErrorKind{Code: CodeNotFound, Status: http.StatusBadRequest, Shape: ShapeFlat,
		Message: "Customer profile not found", Handling: HandlingNotFound})
	ErrDuplicate = newKind(ErrorKind{Code: CodeDuplicate, Status: http.StatusConflict, Shape: ShapeFlat,
		Message:  "Customer profile already exists",
		Handling: "Update the existing customer profile instead of creating a new one; find it with filter[registration_id]."})
	ErrVersionMismatch = newKind(ErrorKind{Code: CodeDuplicate, Status: http.StatusPreconditionFailed, Shape: ShapeFlat,
		Handling: "Read the profile again, reapply your change, and send it with If-Match set to the new ETag."})
	ErrUnsupportedMediaType = newKind(ErrorKind{Code: CodeInvalid, Status: http.StatusUnsupportedMediaType, Shape: ShapeFlat,
		Message: "Content-Type must be application/json", Handling: HandlingInvalid})
	ErrBodyTooLarge = newKind(ErrorKind{Code: CodeInvalid, Status: http.StatusRequestEntityTooLarge, Shape: ShapeFlat,
		Handling: HandlingInvalid})
	// ErrEventNotFound answers as for an unknown profile: the contract's answer for an
	// unknown record, in its flat shape.
	ErrEventNotFound = newKind(ErrorKind{Code: CodeNotFound, Status: http.StatusBadRequest, Shape: ShapeFlat,
		Message: "Webhook event not found", Handling: "Please check the event id."})
	// ErrInternal is all a caller learns of a failure inside the server.
	ErrInternal = newKind(ErrorKind{Code: CodeInternal, Status: http.StatusInternalServerError, Shape: ShapeFlat,
		Message:  "Internal server error",
		Handling: "Please try again later. If the problem persists, contact support with the X-Request-Id of the response."})
)

// Authentication, accounts and keys: STXE codes in the errors[] shape.
var (
	ErrMissingAPIKey = newKind(ErrorKind{Code: CodeUnauthorized, Status: http.StatusUnauthorized, Shape: ShapeErrors,
		Message: "Missing API Key in Header", Handling: "Please provide your API key in the X-XFERS-APP-API-KEY header."})
	// ErrInvalidAPIKey is one and the same answer for an unknown, revoked or expired key.
	ErrInvalidAPIKey = newKind(ErrorKind{Code: CodeUnauthorized, Status: http.StatusUnauthorized, Shape: ShapeErrors,
		Message: "Invalid API Key", Handling: "Please make sure you provide a valid API key in the X-XFERS-APP-API-KEY header."})
	ErrAccountNotFound = newKind(ErrorKind{Code: CodeNoRecord, Status: http.StatusNotFound, Shape: ShapeErrors,
		Message: "Account not found", Handling: "Please check the account id."})
	ErrAPIKeyNotFound = newKind(ErrorKind{Code: CodeNoRecord, Status: http.StatusNotFound, Shape: ShapeErrors,
		Message: "API key not found", Handling: "Please check the API key id."})
	// ErrPublicKeyNotFound is the store's answer for a key id it does not hold; request
	// signing answers ErrSigningKeyNotFound instead, which says which header to check.
	ErrPublicKeyNotFound = newKind(ErrorKind{Code: CodeNoRecord, Status: http.StatusNotFound, Shape: ShapeErrors,
		Message: "Public Key Not Found", Handling: "Please check the public key id."})
	ErrKeyLimit = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message:  fmt.Sprintf("An account holds at most %d public keys", MaxPublicKeys),
		Handling: "Delete a key you no longer use before adding another."})
	ErrLastKey = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message:  "This is the account's last enabled public key and signing is on",
		Handling: "Enable or add another key first, or turn signing off."})
	ErrSigningNeedsKey = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message:  "Signing needs an enabled public key",
		Handling: "Add a public key (kyc publickey add) or enable one, then turn signing on."})
)

// Request signing: the messages, codes and statuses of StraitsX's published table, in the
// errors[] shape. The error_handling texts are ours; StraitsX publishes none.
var (
	ErrMissingSignatureHeaders = newKind(ErrorKind{Code: CodeBadRequest, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message:  "Missing Required Signature Headers",
		Handling: "Signed requests need the X-XFERS-APP-API-KEY, X-PUBLIC-KEY-ID, X-TIMESTAMP, X-NONCE and X-SIGNATURE headers."})
	ErrMissingKeyID = newKind(ErrorKind{Code: CodeBadRequest, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message:  "Missing Public Key ID",
		Handling: "Request signing is on for this account: send the id of your public key in the X-PUBLIC-KEY-ID header."})
	ErrNonceFormat = newKind(ErrorKind{Code: CodeBadRequest, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message:  "Invalid Nonce Format",
		Handling: "Send a fresh UUID (e.g. 550e8400-e29b-41d4-a716-446655440000) in the X-NONCE header."})
	ErrTimestampFormat = newKind(ErrorKind{Code: CodeBadRequest, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message:  "Invalid Timestamp Format",
		Handling: "Send the current Unix time in whole seconds, as decimal digits, in the X-TIMESTAMP header."})
	ErrKeyInactive = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message:  "Public Key Inactive",
		Handling: "This public key is disabled: enable it, or sign with another enabled key of your account."})
	ErrBadSignature = newKind(ErrorKind{Code: CodeUnauthorized, Status: http.StatusUnauthorized, Shape: ShapeErrors,
		Message: "Invalid Request Signature",
		Handling: "Sign METHOD\\nPATH\\nQUERY\\nTIMESTAMP\\nNONCE\\nBODY exactly as sent (query pieces sorted, body bytes unchanged) " +
			"with the private key of X-PUBLIC-KEY-ID, and send the 64-byte signature in standard base64 in X-SIGNATURE."})
	// ErrTimestampExpired's handling names the window: see TimestampExpired.
	ErrTimestampExpired = newKind(ErrorKind{Code: CodeUnauthorized, Status: http.StatusUnauthorized, Shape: ShapeErrors,
		Message:  "Request Timestamp Expired",
		Handling: "X-TIMESTAMP must be within %d seconds of the server's time: check your clock (NTP) and sign each request just before sending it."})
	ErrReplay = newKind(ErrorKind{Code: CodeUnauthorized, Status: http.StatusUnauthorized, Shape: ShapeErrors,
		Message:  "Replay Attack Detected",
		Handling: "This X-NONCE was used before: send a new UUID with every request, including retries."})
	ErrKeyOwnership = newKind(ErrorKind{Code: CodeForbidden, Status: http.StatusForbidden, Shape: ShapeErrors,
		Message:  "Key Ownership Mismatch",
		Handling: "The public key belongs to another account than the API key: sign with a key of the API key's account."})
	ErrSigningKeyNotFound = newKind(ErrorKind{Code: CodeNoRecord, Status: http.StatusNotFound, Shape: ShapeErrors,
		Message:  "Public Key Not Found",
		Handling: "Check X-PUBLIC-KEY-ID against your account's public keys; deleted keys are not found."})
)

// The lifecycle, routing and availability: STXE codes in the errors[] shape.
var (
	// ErrConditions refuses a request that breaks a business rule of the lifecycle
	// ("Conditions Not Met", HTTP 400 as on StraitsX's errors page); see NotAllowed.
	ErrConditions = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Handling: "Check the profile's verificationStatus; GET /v1/kyc/customer_profiles/{id}/history shows how it got there."})
	// ErrSandboxOnly answers a sandbox endpoint called on a production server.
	ErrSandboxOnly = newKind(ErrorKind{Code: CodeSandboxOnly, Status: http.StatusMethodNotAllowed, Shape: ShapeErrors,
		Message:  "Restricted Endpoints Access in Live Mode",
		Handling: "This endpoint exists only in sandbox; in production a reviewer decides (kyc profile review)."})
	ErrRouteNotFound = newKind(ErrorKind{Code: CodeNoRecord, Status: http.StatusNotFound, Shape: ShapeErrors,
		Message: "Route not found", Handling: handlingRoutes})
	ErrMethodNotAllowed = newKind(ErrorKind{Code: CodeBadRequest, Status: http.StatusMethodNotAllowed, Shape: ShapeErrors,
		Message: "Method not allowed", Handling: handlingRoutes})
	// ErrRateLimited refuses a request beyond its account's token bucket (429 "Rate Limit
	// reached", as published); Retry-After says when to try again.
	ErrRateLimited = newKind(ErrorKind{Code: CodeRateLimited, Status: http.StatusTooManyRequests, Shape: ShapeErrors,
		Message:  "Rate Limit reached",
		Handling: "Wait the seconds in the Retry-After header before retrying; the RateLimit header shows what is left."})
	// ErrAuthThrottled refuses every request from a client address that failed
	// authentication too often, before its API key is even looked at.
	ErrAuthThrottled = newKind(ErrorKind{Code: CodeRateLimited, Status: http.StatusTooManyRequests, Shape: ShapeErrors,
		Message:  "Rate Limit reached",
		Handling: "Too many requests from this address failed authentication: check the X-XFERS-APP-API-KEY header, then retry after the seconds in Retry-After."})
	// ErrUnavailable is returned while the database cannot be reached or does not answer in
	// time, and to requests beyond the cap on those served at once; sent with Retry-After.
	ErrUnavailable = newKind(ErrorKind{Code: CodeUnavailable, Status: http.StatusServiceUnavailable, Shape: ShapeErrors,
		Message: "Service temporarily unavailable", Handling: "Please retry after a short wait."})
)

// Requests for information: the errors[] shape of the RFI endpoints (spec §4.2, §5.7).
var (
	ErrRFINotFound = newKind(ErrorKind{Code: CodeNoRecord, Status: http.StatusNotFound, Shape: ShapeErrors,
		Message:  "RFI Request not found",
		Handling: handlingNoRecord})
	// ErrRFIProfileNotFound is the published 404 of the RFI endpoints for an unknown
	// profile: XFE13 in the errors[] envelope, unlike the flat 400 of the profile endpoints.
	ErrRFIProfileNotFound = newKind(ErrorKind{Code: CodeNotFound, Status: http.StatusNotFound, Shape: ShapeErrors,
		Message: "Customer profile not found", Handling: HandlingNotFound})
	ErrRFIAlreadyCompleted = newKind(ErrorKind{Code: CodeFailedDependency, Status: http.StatusFailedDependency, Shape: ShapeErrors,
		Message:  "RFI already completed",
		Handling: "An unexpected error occurred, please try again. If the problem persists, please retry in a few minutes."})
	ErrRFINotOpen = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Handling: "GET the RFI to see its status and which questions need an answer."})
	ErrRFIOutstanding = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Handling: "Wait until the outstanding RFI is completed or expired before raising another."})
	ErrRFINotRaisable = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Handling: "A rejected profile is asked again through its resubmission."})
)

// Screening in the lifecycle: ours, in the STXE classes and the errors[] shape.
var (
	// ErrUnresolvedHits refuses a reviewer's verification of a profile with a screening hit
	// unresolved or confirmed.
	ErrUnresolvedHits = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Handling: "Resolve each hit first (kyc screening resolve PROFILE_ID --hit HIT_ID --as false_positive|true_match --reason TEXT); " +
			"GET /v1/kyc/customer_profiles/{id}/screening lists them."})
	ErrHitNotFound = newKind(ErrorKind{Code: CodeNoRecord, Status: http.StatusNotFound, Shape: ShapeErrors,
		Handling: "GET /v1/kyc/customer_profiles/{id}/screening lists the hits of the latest screening and their ids."})
	// ErrNotScreened answers the screening of a profile that has not been screened yet (made
	// before screening came, or while its re-screening runs).
	ErrNotScreened = newKind(ErrorKind{Code: CodeNoRecord, Status: http.StatusNotFound, Shape: ShapeErrors,
		Message:  "Customer profile not screened yet",
		Handling: "Profiles are screened at every create and update, and all of them again after a list is imported: retry after the re-screening (kyc lists status)."})
)

// Transaction limits: the errors[] shape of the limits endpoints (spec §4.2, §5.8).
var (
	// ErrInvalidListed and ErrMissingListed are ErrInvalid and ErrMissing in the errors[]
	// envelope of the limits-update request's published example.
	ErrInvalidListed = newKind(ErrorKind{Code: CodeInvalid, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Handling: HandlingInvalid})
	ErrMissingListed = newKind(ErrorKind{Code: CodeMissing, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Handling: HandlingMissing})
	ErrAmountExceedsLimit = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message: "Amount Exceed Limit", Handling: "The amount is above the transaction size limit (transactionSizeLimit)."})
	ErrDailyLimit = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message:  "Daily Limit",
		Handling: "The amount is above what is left of today's limit (availableDaily…Limit); retry tomorrow (UTC+8) or request higher limits."})
	ErrAnnualLimit = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message:  "Annual Limit",
		Handling: "The amount is above what is left of the 12-month limit (availableAnnual…Limit); request higher limits."})
	// ErrUsageConflict refuses a reference used before for another amount or kind
	// ("Duplicated Idempotency Key", 422 as on StraitsX's errors page).
	ErrUsageConflict = newKind(ErrorKind{Code: CodeDuplicateKey, Status: http.StatusUnprocessableEntity, Shape: ShapeErrors,
		Handling: "Please use another reference, or send exactly the same kind and amount to repeat a request."})
	// ErrLimitRequestNotFound is not published: the record-not-found class, as for an RFI.
	ErrLimitRequestNotFound = newKind(ErrorKind{Code: CodeNoRecord, Status: http.StatusNotFound, Shape: ShapeErrors,
		Message:  "Transaction limits update request not found",
		Handling: handlingNoRecord})
)

// Idempotency keys (the Idempotency-Key header of draft-ietf-httpapi-idempotency-key-header,
// our addition): a malformed key is a bad request; a key's conflicts are STXE-7000, the
// published class of "Duplicated Idempotency Key", in the errors[] shape.
var (
	ErrIdempotencyKeyInvalid = newKind(ErrorKind{Code: CodeBadRequest, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message: "Invalid Idempotency-Key",
		Handling: fmt.Sprintf(`Send one Idempotency-Key header holding a quoted string of 1 to %d printable ASCII characters `+
			`(a Structured Field string), such as "8e03978e-40d5-43e8-bc93-6894a57f9324": a fresh UUID for each new request, `+
			`the same one for its retries.`, MaxIdempotencyKey)})
	ErrIdempotencyKeyReused = newKind(ErrorKind{Code: CodeDuplicateKey, Status: http.StatusUnprocessableEntity, Shape: ShapeErrors,
		Message: "Duplicated Idempotency Key",
		Handling: "This idempotency key has already been used in different request (another method, path or body). " +
			"Please use another idempotency key, or send exactly the first request again to get its answer."})
	ErrIdempotencyInFlight = newKind(ErrorKind{Code: CodeDuplicateKey, Status: http.StatusConflict, Shape: ShapeErrors,
		Message:  "A request with this Idempotency-Key is still in progress",
		Handling: "Retry after a short wait: once the first request has finished, its answer is replayed."})
	ErrIdempotencyAnswerLost = newKind(ErrorKind{Code: CodeDuplicateKey, Status: http.StatusConflict, Shape: ShapeErrors,
		Message: "The request with this Idempotency-Key was carried out, but its answer was not kept",
		Handling: "Do not repeat it: read the resource to see the result (a created profile is found with " +
			"filter[registration_id])."})
)

// MaxIdempotencyKey bounds an Idempotency-Key, in characters.
const MaxIdempotencyKey = 255

// Resending a callback by type: the published answers of
// POST /v1/webhook-events/{event_type}/resend/{triggerable_id}, all in the flat shape.
var (
	ErrInvalidEventType = newKind(ErrorKind{Code: CodeNoRecord, Status: http.StatusNotFound, Shape: ShapeFlat,
		Message: "Invalid event type", Handling: handlingNoRecord})
	ErrEventRecordNotFound = newKind(ErrorKind{Code: CodeNoRecord, Status: http.StatusNotFound, Shape: ShapeFlat,
		Message: "Record not found", Handling: handlingNoRecord})
	ErrResendTooSoon = newKind(ErrorKind{Code: CodeRateLimited, Status: http.StatusTooManyRequests, Shape: ShapeFlat,
		Message: "You can only resend callback once every 5 minutes", Handling: "Please wait before retrying."})
)

// Ending a relationship and erasing: STXE-4000 in the errors[] shape, as the lifecycle's
// other refusals.
var (
	ErrNotClosed = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message: "Customer profile is not closed",
		Handling: "Close the business relationship first (POST /v1/kyc/customer_profiles/{id}/close); " +
			"its personal data may be erased once the retention period after closing has passed."})
	// ErrRetention's message names the date: see Erasable.
	ErrRetention = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Handling: "Personal data is kept for the retention period after the relationship closed (kyc serve --retention); " +
			"an operator may erase earlier with kyc profile erase --force --reason."})
	ErrLegalHold = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message:  "Customer profile is under a legal hold",
		Handling: "It cannot be erased, forced or not, until an operator releases the hold (kyc profile release)."})
	ErrErased = newKind(ErrorKind{Code: CodeConditions, Status: http.StatusBadRequest, Shape: ShapeErrors,
		Message: "Customer profile was erased",
		Handling: "Its personal data is gone and it cannot change; GET shows its tombstone. " +
			"A returning customer is onboarded with a new profile."})
)

// NotAllowed refuses a request that breaks a business rule of the lifecycle.
func NotAllowed(message string) *Error { return ErrConditions.Newf("%s", message) }

// VersionMismatch refuses an update whose If-Match does not name the current version.
func VersionMismatch(current int) *Error {
	return ErrVersionMismatch.Newf("Customer profile was changed by another request: its current version is %d", current)
}

// BodyTooLarge refuses a request body over limit bytes.
func BodyTooLarge(limit int) *Error {
	return ErrBodyTooLarge.Newf("Request body must be at most %d bytes (%d MiB)", limit, limit>>20)
}

// TimestampExpired refuses a signed request whose X-TIMESTAMP is outside the window.
func TimestampExpired(window time.Duration) *Error {
	e := ErrTimestampExpired.New()
	e.Handling = fmt.Sprintf(e.Handling, int64(window/time.Second))
	return e
}
