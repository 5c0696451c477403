package main

import (
	"strings"
	"testing"
)

func TestHealthcheck(t *testing.T) {
	s := startServe(t, "--db", dbPath(t))
	if r := runKyc(t, nil, "healthcheck", "--url", s.base+"/healthz"); r.code != 0 {
		t.Errorf("healthcheck of a running server: %+v", r)
	}
	if r := runKyc(t, nil, "healthcheck", "--url", s.base+"/nowhere"); r.code == 0 || !strings.Contains(r.stderr, "404") {
		t.Errorf("healthcheck of a 404: %+v", r)
	}
	if r := runKyc(t, nil, "healthcheck", "--url", "http://127.0.0.1:1/healthz"); r.code == 0 {
		t.Errorf("healthcheck of a closed port: %+v", r)
	}
}
