package server_test

import (
	"strings"
	"testing"

	"github.com/openkyc/kyc/internal/kyctest"
)

// TestOpenAPIDocumentValid has an independent validator (libopenapi-validator) read the
// document and check it against the OpenAPI 3.1 meta-schema; every schema in it compiles,
// its patterns as ECMA-262.
func TestOpenAPIDocumentValid(t *testing.T) {
	c, err := kyctest.LoadContract()
	if err != nil {
		t.Fatal(err)
	}
	if problems := c.ValidateDocument(); len(problems) > 0 {
		t.Errorf("openapi.yaml is not a valid OpenAPI 3.1 document:\n\t%s", strings.Join(problems, "\n\t"))
	}
}
