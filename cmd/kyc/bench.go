package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc/internal/loadtest"
	"github.com/openkyc/kyc/internal/server"
)

type benchFlags struct {
	postgres    string
	profiles    int
	rounds      int
	conns       int
	warmup      time.Duration
	duration    time.Duration
	only        string
	cpuProfiles string
}

func (c *cli) benchCmd() *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the API against a bare net/http server on this machine",
		Long: "bench measures the API through real HTTP on loopback. For each database (SQLite in a temporary\n" +
			"directory; PostgreSQL in a schema of its own when --postgres is given, dropped afterwards), empty\n" +
			"and seeded with --profiles profiles, it starts `kyc serve` and a bare net/http server that decodes\n" +
			"the same JSON body and echoes it, pinned to CPU 0 when taskset exists and there are 2 CPUs, and\n" +
			"runs a closed-loop load generator pinned to CPU 1. Each scenario (create with an API key, signed\n" +
			"create, get by id, list page 1) runs right after a run of the bare server, round after round, and\n" +
			"is reported as requests/s, p50, p99 and its ratio to that bare run; the two creates run again at\n" +
			"half their rate for the latency there. Then the server's peak RSS. Compare only ratios of one run.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return c.bench(cmd.Context(), f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.postgres, "postgres", "", "postgres:// URL of a database to measure too (a schema of its own is created and dropped)")
	fl.IntVar(&f.profiles, "profiles", 1_000_000, "profiles to seed for the large-database runs (0: empty runs only)")
	fl.IntVar(&f.rounds, "rounds", 2, "rounds of every scenario, interleaved with the bare server")
	fl.IntVar(&f.conns, "conns", 32, "concurrent connections of the load generator")
	fl.DurationVar(&f.warmup, "warmup", time.Second, "warm-up of each run, not counted")
	fl.DurationVar(&f.duration, "duration", 4*time.Second, "measured span of each run")
	fl.StringVar(&f.only, "only", "", "comma-separated configurations to run, of sqlite-empty, sqlite-seeded, postgres-empty, postgres-seeded (default all)")
	fl.StringVar(&f.cpuProfiles, "cpu-profiles", "", "directory to write a CPU profile of kyc serve into, one per configuration (NAME.pprof)")
	cmd.AddCommand(benchEchoCmd(), c.benchLoadCmd())
	return cmd
}

// benchEchoCmd is the bare reference server, run as a process of its own so that it can be
// pinned to the CPU the API server gets.
func benchEchoCmd() *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:    "echo",
		Short:  "Serve the bare JSON echo (for kyc bench)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkLoopbackAddr(addr); err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			hs := server.HTTPServer(addr, loadtest.EchoHandler(), slog.Default())
			go func() { <-cmd.Context().Done(); hs.Close() }()
			if err := hs.Serve(ln); err != http.ErrServerClosed {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:0", "loopback address to listen on")
	return cmd
}

type loadFlags struct {
	url, kind, apiKey, keyID, seed, prefix string
	conns                                  int
	warmup, duration                       time.Duration
	rate                                   float64
}

// benchLoadCmd is one run of the load generator, as a process of its own so that it can be
// pinned to a CPU of its own. It prints its loadtest.Result as JSON.
func (c *cli) benchLoadCmd() *cobra.Command {
	var f loadFlags
	cmd := &cobra.Command{
		Use:    "load",
		Short:  "Run one load (for kyc bench)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := runLoad(cmd.Context(), f)
			if err != nil {
				return err
			}
			return json.NewEncoder(c.stdout).Encode(res)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.url, "url", "", "base URL (a loopback address)")
	fl.StringVar(&f.kind, "kind", "", "echo, create, get or list")
	fl.StringVar(&f.apiKey, "api-key", "", "the account's API key")
	fl.StringVar(&f.keyID, "key-id", "", "public key id to sign with (signed runs)")
	fl.StringVar(&f.seed, "key-seed", "", "hex Ed25519 seed to sign with (signed runs)")
	fl.StringVar(&f.prefix, "prefix", "B", "registration id prefix of the profiles created")
	fl.IntVar(&f.conns, "conns", 32, "concurrent connections")
	fl.DurationVar(&f.warmup, "warmup", time.Second, "warm-up, not counted")
	fl.DurationVar(&f.duration, "duration", 4*time.Second, "measured span")
	fl.Float64Var(&f.rate, "rate", 0, "requests per second over all connections (0: as fast as answers come)")
	return cmd
}

func runLoad(ctx context.Context, f loadFlags) (loadtest.Result, error) {
	if err := loadtest.CheckLoopback(f.url); err != nil {
		return loadtest.Result{}, err
	}
	cl := &loadtest.Client{Base: strings.TrimSuffix(f.url, "/"), APIKey: f.apiKey, Prefix: f.prefix}
	if f.keyID != "" {
		seed, err := hex.DecodeString(f.seed)
		if err != nil {
			return loadtest.Result{}, fmt.Errorf("--key-seed: %w", err)
		}
		if cl.Signer, err = loadtest.NewSigner(f.keyID, seed); err != nil {
			return loadtest.Result{}, err
		}
	}
	cfg := loadtest.Config{Conns: f.conns, Warmup: f.warmup, Duration: f.duration, Rate: f.rate}
	switch f.kind {
	case "echo":
		cfg.Next = cl.Echo
	case "create":
		cfg.Next = cl.Create
	case "list":
		cfg.Next = cl.List
	case "get":
		ids, err := cl.ProfileIDs(ctx)
		if err != nil {
			return loadtest.Result{}, err
		}
		cfg.Next = cl.Get(ids)
	default:
		return loadtest.Result{}, fmt.Errorf("--kind must be echo, create, get or list, not %q", f.kind)
	}
	return loadtest.Run(ctx, cfg)
}

func checkLoopbackAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	return loadtest.CheckLoopback("http://" + net.JoinHostPort(host, "0"))
}
