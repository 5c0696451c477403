package server

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/openkyc/kyc"
)

// maxBody bounds what a request may send: a profile holds links to documents, never the
// documents, so 1 MiB is generous and keeps a flood of large bodies from exhausting memory.
const maxBody = 1 << 20

// readBody returns the raw bytes of a JSON request body. For a signed request they are the
// bytes verifySignatures read and verified, handed on unchanged.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if !isJSON(r.Header.Get("Content-Type")) {
		return nil, kyc.ErrUnsupportedMediaType.New()
	}
	return readRawBody(w, r)
}

// readRawBody reads the whole body, whatever its content type, within maxBody: request
// signing verifies these bytes as sent, before anything decodes them.
func readRawBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > maxBody {
		return nil, tooLarge()
	}
	// One allocation of the announced size, rather than ReadAll's doublings.
	buf := bytes.NewBuffer(make([]byte, 0, max(r.ContentLength, 0)+bytes.MinRead))
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxBody))
	body := buf.Bytes()
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, tooLarge()
	}
	if err != nil {
		// The client went away or timed out mid-body; nothing we did wrong.
		return nil, kyc.BadInput("The request body could not be read completely")
	}
	return body, nil
}

func tooLarge() *kyc.Error {
	return kyc.BodyTooLarge(maxBody)
}

// isJSON accepts application/json and the structured-syntax suffix form (application/vnd.api+json).
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
}
