package main

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestDescribeBuild(t *testing.T) {
	platform := runtime.GOOS + "/" + runtime.GOARCH
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "0853ad8e0d1c"},
		{Key: "vcs.time", Value: "2026-12-01T12:00:00Z"},
	}
	for _, c := range []struct {
		info debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}},
			"kyc v1.2.0, go1.26.8 " + platform},
		{debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			"kyc (devel), revision 0853ad8e0d1c (2026-12-01T12:00:00Z), go1.26.8 " + platform},
		{debug.BuildInfo{GoVersion: "go1.26.8", Settings: append(vcs, debug.BuildSetting{Key: "vcs.modified", Value: "true"})},
			"kyc (devel), revision 0853ad8e0d1c (2026-12-01T12:00:00Z) with uncommitted changes, go1.26.8 " + platform},
	} {
		if got := describeBuild(&c.info); got != c.want {
			t.Errorf("describeBuild:\n got %s\nwant %s", got, c.want)
		}
	}
}

// TestVersionCommandAndFlag: `kyc version` and `kyc --version` print the same line, taken
// from the build information of the running binary.
func TestVersionCommandAndFlag(t *testing.T) {
	cmd, flag := runKyc(t, nil, "version"), runKyc(t, nil, "--version")
	if cmd.code != 0 || flag.code != 0 || cmd.stdout != flag.stdout || !strings.HasPrefix(cmd.stdout, "kyc ") ||
		!strings.Contains(cmd.stdout, runtime.Version()) {
		t.Errorf("version: %+v\n--version: %+v", cmd, flag)
	}
}
