// Package kyc is the vocabulary of the KYC service: customer profiles, their validation
// against the StraitsX Customer Profile+ contract, the catalogs of accepted values, and the
// one error type that crosses the API boundary. It depends only on the standard library and
// small data libraries, so that the server, the store, the client and the CLI can all share it.
package kyc
