package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/openkyc/kyc"
)

// The errors of request signing: the messages, codes and statuses of StraitsX's published
// table, in the errors[] shape. The error_handling texts are ours; StraitsX publishes none.

func signingError(status int, code, message, handling string) *kyc.Error {
	return &kyc.Error{Status: status, Code: code, Message: message, Handling: handling}
}

func errMissingHeaders() *kyc.Error {
	return signingError(http.StatusBadRequest, kyc.CodeBadRequest, "Missing Required Signature Headers",
		"Signed requests need the X-XFERS-APP-API-KEY, X-PUBLIC-KEY-ID, X-TIMESTAMP, X-NONCE and X-SIGNATURE headers.")
}

func errMissingKeyID() *kyc.Error {
	return signingError(http.StatusBadRequest, kyc.CodeBadRequest, "Missing Public Key ID",
		"Request signing is on for this account: send the id of your public key in the X-PUBLIC-KEY-ID header.")
}

func errNonceFormat() *kyc.Error {
	return signingError(http.StatusBadRequest, kyc.CodeBadRequest, "Invalid Nonce Format",
		"Send a fresh UUID (e.g. 550e8400-e29b-41d4-a716-446655440000) in the X-NONCE header.")
}

func errTimestampFormat() *kyc.Error {
	return signingError(http.StatusBadRequest, kyc.CodeBadRequest, "Invalid Timestamp Format",
		"Send the current Unix time in whole seconds, as decimal digits, in the X-TIMESTAMP header.")
}

func errKeyInactive() *kyc.Error {
	return signingError(http.StatusBadRequest, kyc.CodeConditions, "Public Key Inactive",
		"This public key is disabled: enable it, or sign with another enabled key of your account.")
}

func errBadSignature() *kyc.Error {
	return signingError(http.StatusUnauthorized, kyc.CodeUnauthorized, "Invalid Request Signature",
		"Sign METHOD\\nPATH\\nQUERY\\nTIMESTAMP\\nNONCE\\nBODY exactly as sent (query pieces sorted, body bytes unchanged) "+
			"with the private key of X-PUBLIC-KEY-ID, and send the 64-byte signature in standard base64 in X-SIGNATURE.")
}

func errTimestampExpired(window time.Duration) *kyc.Error {
	return signingError(http.StatusUnauthorized, kyc.CodeUnauthorized, "Request Timestamp Expired",
		fmt.Sprintf("X-TIMESTAMP must be within %d seconds of the server's time: check your clock (NTP) and sign each request just before sending it.",
			int64(window/time.Second)))
}

func errReplay() *kyc.Error {
	return signingError(http.StatusUnauthorized, kyc.CodeUnauthorized, "Replay Attack Detected",
		"This X-NONCE was used before: send a new UUID with every request, including retries.")
}

func errKeyOwnership() *kyc.Error {
	return signingError(http.StatusForbidden, kyc.CodeForbidden, "Key Ownership Mismatch",
		"The public key belongs to another account than the API key: sign with a key of the API key's account.")
}

func errKeyNotFound() *kyc.Error {
	return signingError(http.StatusNotFound, kyc.CodeNoRecord, "Public Key Not Found",
		"Check X-PUBLIC-KEY-ID against your account's public keys; deleted keys are not found.")
}
