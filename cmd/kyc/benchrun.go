package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for the bench's schema

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/loadtest"
	"github.com/openkyc/kyc/internal/store"
)

// benchTarget is one database the bench measures, with what the load needs to reach it.
type benchTarget struct {
	name      string // e.g. "sqlite-empty"
	dsn       string
	kek       string // the key-encryption key's URL
	profiles  int
	apiKey    string // of the unsigned account
	signedKey string // of the account with signing on
	keyID     string
	seed      []byte
}

func (c *cli) bench(ctx context.Context, f benchFlags) error {
	if f.rounds < 1 || f.rounds > 20 || f.conns < 1 || f.conns > loadtest.MaxConns || f.profiles < 0 || f.profiles > store.MaxSeed {
		return fmt.Errorf("--rounds 1 to 20, --conns 1 to %d, --profiles 0 to %d", loadtest.MaxConns, store.MaxSeed)
	}
	dir, err := os.MkdirTemp("", "kyc-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	pin := pinning()
	c.printf("kyc bench: %d CPUs, %s; %d connections, %d rounds of %s (+%s warm-up) per run\n",
		runtime.NumCPU(), pin.describe(), f.conns, f.rounds, f.duration, f.warmup)
	var all []benchSummary
	for _, cfg := range benchConfigs(f) {
		if f.only != "" && !strings.Contains(","+f.only+",", ","+cfg.name+",") {
			continue
		}
		dsn, cleanup, err := benchDSN(ctx, dir, cfg.name, cfg.postgres)
		if err != nil {
			return err
		}
		// Production needs a key-encryption key: a key file of the run's own, made by the
		// first open, beside the databases and removed with them.
		kek := "keyfile:" + filepath.Join(dir, "bench.kek")
		s, err := c.benchTarget(ctx, exe, pin, f, benchTarget{name: cfg.name, dsn: dsn, kek: kek, profiles: cfg.profiles})
		cleanup()
		if err != nil {
			return fmt.Errorf("%s: %w", cfg.name, err)
		}
		all = append(all, s...)
	}
	c.printSummary(all)
	return nil
}

type benchConfig struct {
	name     string
	postgres string // base URL, "" for SQLite
	profiles int
}

func benchConfigs(f benchFlags) []benchConfig {
	cfgs := []benchConfig{{name: "sqlite-empty"}}
	if f.profiles > 0 {
		cfgs = append(cfgs, benchConfig{name: "sqlite-seeded", profiles: f.profiles})
	}
	if f.postgres != "" {
		cfgs = append(cfgs, benchConfig{name: "postgres-empty", postgres: f.postgres})
		if f.profiles > 0 {
			cfgs = append(cfgs, benchConfig{name: "postgres-seeded", postgres: f.postgres, profiles: f.profiles})
		}
	}
	return cfgs
}

// benchTarget prepares the database, starts the two servers, runs the rounds and stops them.
func (c *cli) benchTarget(ctx context.Context, exe string, pin pinner, f benchFlags, t benchTarget) ([]benchSummary, error) {
	start := time.Now()
	if err := prepareBenchDB(ctx, &t); err != nil {
		return nil, err
	}
	c.printf("\n== %s: %d profiles seeded in %s\n", t.name, t.profiles, time.Since(start).Round(time.Millisecond))
	if t.profiles > 0 {
		settle(ctx, t)
	}
	// No admin listener: the measured server does only the API's work, and bench may run
	// beside a serve that holds the default admin address. No rate limit that counts: bench
	// measures what the server can do, far beyond the production default.
	serve := []string{"serve", "--db", t.dsn, "--kek", t.kek, "--env", "production", "--admin-addr", "",
		"--rate-limit", "1000000/s", "--rate-burst", "1000000"}
	if t.profiles > 0 {
		if err := c.awaitRescreen(ctx, exe, pin, t, serve); err != nil {
			return nil, err
		}
		// The re-screening wrote a screening for every profile: gigabytes the kernel would
		// otherwise write out during the first runs, under their fsyncs.
		settle(ctx, t)
	}
	if f.cpuProfiles != "" {
		serve = append(serve, "--cpu-profile", filepath.Join(f.cpuProfiles, t.name+".pprof"))
	}
	api, err := startProcess(ctx, pin.server, exe, append(serve, "--addr")...)
	if err != nil {
		return nil, err
	}
	defer api.stop()
	echo, err := startProcess(ctx, pin.server, exe, "bench", "echo", "--addr")
	if err != nil {
		return nil, err
	}
	defer echo.stop()
	r := &benchRunner{cli: c, exe: exe, pin: pin, f: f, t: t, api: api, echo: echo}
	if err := r.rounds(ctx); err != nil {
		return nil, err
	}
	rss := api.peakRSS()
	c.printf("peak RSS of kyc serve: %s\n", rss)
	return r.summaries(rss), nil
}

// prepareBenchDB migrates the database, makes the two accounts and seeds the profiles.
func prepareBenchDB(ctx context.Context, t *benchTarget) error {
	db, err := store.OpenWith(ctx, t.dsn, store.Options{Keys: store.KeyOptions{KEK: t.kek}})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	acct, key, _, err := db.CreateAccountWithKey(ctx, "bench", "bench", kyc.ModelCPPlus)
	if err != nil {
		return err
	}
	t.apiKey = key
	signed, key, _, err := db.CreateAccountWithKey(ctx, "bench-signed", "bench", kyc.ModelCPPlus)
	if err != nil {
		return err
	}
	t.signedKey = key
	t.seed = make([]byte, ed25519.SeedSize)
	rand.Read(t.seed)
	pub := ed25519.NewKeyFromSeed(t.seed).Public().(ed25519.PublicKey)
	pk, err := db.CreatePublicKey(ctx, signed.ID, "bench", pub)
	if err != nil {
		return err
	}
	t.keyID = pk.ID
	if err := db.EnableSigning(ctx, signed.ID); err != nil {
		return err
	}
	if t.profiles == 0 {
		return nil
	}
	k, data, err := kyc.DefaultCatalog().Decode(kyc.ModelCPPlus, loadtest.ProfileBody("SEED"), time.Now())
	if err != nil {
		return fmt.Errorf("the bench's profile does not validate: %w", err)
	}
	return db.SeedProfiles(ctx, acct.ID, k, data, t.profiles)
}

// settle writes out what the seeding left to be written later, before anything is
// measured: a million profiles leave gigabytes of dirty pages that the kernel (and
// PostgreSQL's checkpointer) would write out during the runs, halving even the bare
// server's rate. A CHECKPOINT needs privileges the bench's role may lack: then the runs
// share the disk with PostgreSQL's own.
func settle(ctx context.Context, t benchTarget) {
	if !strings.HasPrefix(t.dsn, "postgres") {
		syncFiles()
		return
	}
	if db, err := sql.Open("pgx", t.dsn); err == nil {
		_, _ = db.ExecContext(ctx, `CHECKPOINT`)
		db.Close()
	}
	syncFiles()
}

// benchDSN returns the database of one configuration and what removes it.
func benchDSN(ctx context.Context, dir, name, postgres string) (string, func(), error) {
	if postgres == "" {
		return filepath.Join(dir, name+".db"), func() {}, nil
	}
	return pgBenchSchema(ctx, postgres)
}

// pgBenchSchema creates a schema of its own in the database at base and returns a URL
// whose connections use it, and the function that drops it.
func pgBenchSchema(ctx context.Context, base string) (string, func(), error) {
	b := make([]byte, 6)
	rand.Read(b)
	schema := "kyc_bench_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	// The name is ours, letters and hex digits: safe to put in the SQL text.
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() {
		_, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		_, _ = admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + `_keys CASCADE`) // the key store's (store.OpenWith)
		admin.Close()
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema, drop, nil
}

// process is a child the bench started and stops.
type process struct {
	cmd  *exec.Cmd
	addr string
}

// startProcess runs exe with args and a free loopback address as the last argument, under
// the pinning prefix, and waits until the address answers.
func startProcess(ctx context.Context, prefix []string, exe string, args ...string) (*process, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	argv := append(append(append([]string{}, prefix...), exe), append(args, addr)...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	// A file, not a pipe: the child writes its log itself, with no copying by the bench.
	logFile, err := os.CreateTemp("", "kyc-bench-log-")
	if err != nil {
		return nil, err
	}
	os.Remove(logFile.Name())
	defer logFile.Close() // the child keeps its own descriptor
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, addr: addr}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if conn, err := net.Dial("tcp", addr); err == nil {
			conn.Close()
			return p, nil
		}
	}
	p.stop()
	head := make([]byte, 4<<10)
	n, _ := logFile.ReadAt(head, 0)
	return nil, fmt.Errorf("%s did not start: %s", strings.Join(args, " "), head[:n])
}

func (p *process) url() string { return "http://" + p.addr }

func (p *process) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}

// peakRSS is the process's peak resident set (VmHWM), read from /proc.
func (p *process) peakRSS() string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/status")
	if err != nil {
		return "unknown (no /proc)"
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return "unknown"
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	b   *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.b.Len(); room > 0 {
		l.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// pinner says how the bench's processes are pinned to CPUs.
type pinner struct{ server, load []string }

// pinning puts the servers on CPU 0 and the load generator on CPU 1 when taskset exists
// and the machine has 2 CPUs or more; otherwise nothing is pinned.
func pinning() pinner {
	if _, err := exec.LookPath("taskset"); err != nil || runtime.NumCPU() < 2 {
		return pinner{}
	}
	return pinner{server: []string{"taskset", "-c", "0"}, load: []string{"taskset", "-c", "1"}}
}

func (p pinner) describe() string {
	if p.server == nil {
		return "not pinned (needs taskset and 2 CPUs)"
	}
	return "servers pinned to CPU 0, load generator to CPU 1"
}

// load runs one load-generator process and returns its result.
func (r *benchRunner) load(ctx context.Context, env []string, args ...string) (loadtest.Result, error) {
	argv := append(append([]string{}, r.pin.load...), r.exe, "bench", "load",
		"--conns", strconv.Itoa(r.f.conns), "--warmup", r.f.warmup.String(), "--duration", r.f.duration.String())
	argv = append(argv, args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	// Secrets go through the flags' environment twins, not the command line others can read.
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &limitedBuffer{b: &stderr, max: 4 << 10}
	out, err := cmd.Output()
	if err != nil {
		return loadtest.Result{}, fmt.Errorf("load %v: %w: %s", args, err, stderr.String())
	}
	var res loadtest.Result
	return res, json.Unmarshal(out, &res)
}
