package main

import (
	"bytes"
	"log/slog"
	"runtime"
	"strings"
	"testing"
)

func TestEnsureProcs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	noEnv := func(string) string { return "" }

	runtime.GOMAXPROCS(1) // as on one CPU
	ensureProcs(log, noEnv)
	if got := runtime.GOMAXPROCS(0); got != minProcs {
		t.Errorf("from 1: GOMAXPROCS %d, want %d", got, minProcs)
	}
	if !strings.Contains(logged.String(), "GOMAXPROCS raised") {
		t.Errorf("not logged: %q", logged.String())
	}

	runtime.GOMAXPROCS(1)
	ensureProcs(log, func(k string) string { return map[string]string{"GOMAXPROCS": "1"}[k] })
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Errorf("with GOMAXPROCS=1 set by the operator: %d, want 1", got)
	}

	runtime.GOMAXPROCS(8)
	ensureProcs(log, noEnv)
	if got := runtime.GOMAXPROCS(0); got != 8 {
		t.Errorf("from 8: %d, want 8 (never lowered)", got)
	}
}
