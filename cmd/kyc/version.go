package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

func (c *cli) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, the source revision and the Go release this binary was built from",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			c.printf("%s\n", version())
			return nil
		},
	}
}

// version describes this binary from the build information the Go toolchain embeds: the
// module version (a tag with `go install …@v1.2.0`, "(devel)" for a build from a checkout)
// and, for a build from a checkout, the commit, its time and whether the tree had changes.
// Nothing is stamped by hand, so it cannot fall out of date.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "kyc (no build information)"
	}
	return describeBuild(info)
}

func describeBuild(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	s := "kyc " + v
	settings := map[string]string{}
	for _, kv := range info.Settings {
		settings[kv.Key] = kv.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		s += ", revision " + rev
		if t := settings["vcs.time"]; t != "" {
			s += " (" + t + ")"
		}
		if settings["vcs.modified"] == "true" {
			s += " with uncommitted changes"
		}
	}
	goVersion := info.GoVersion
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	return fmt.Sprintf("%s, %s %s/%s", s, strings.TrimSpace(goVersion), runtime.GOOS, runtime.GOARCH)
}
