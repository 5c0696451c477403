package server

import (
	"bytes"
	_ "embed"
	"net/http"
)

// openAPI describes every route of routeTable; TestOpenAPIMatchesRoutes keeps them in step.
//
//go:embed openapi.yaml
var openAPI []byte

// OpenAPI returns the OpenAPI document the server serves at /openapi.yaml, for tools and
// tests that check responses against it.
func OpenAPI() []byte { return bytes.Clone(openAPI) }

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(openAPI)
}
