package server

import (
	_ "embed"
	"net/http"
)

// openAPI describes every route of routeTable; TestOpenAPIMatchesRoutes keeps them in step.
//
//go:embed openapi.yaml
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(openAPI)
}
