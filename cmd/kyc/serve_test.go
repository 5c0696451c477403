package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/pgtest"
)

var printedKey = regexp.MustCompile(`kyc_[A-Za-z0-9_-]{43}`)

// serving is a `kyc serve` running in this process.
type serving struct {
	base           string
	stdout, stderr *kyctest.Buffer
	stop           context.CancelFunc
	done           chan int
}

func startServe(t *testing.T, args ...string) *serving {
	t.Helper()
	s := launchServe(t, args...)
	s.base = waitListening(t, s.stderr, s.done)
	return s
}

// launchServe starts `kyc serve` without waiting for it to listen.
func launchServe(t *testing.T, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{stdout: &kyctest.Buffer{}, stderr: &kyctest.Buffer{}, stop: cancel, done: make(chan int, 1)}
	// No admin listener unless a test asks (a later flag wins): tests run side by side.
	args = append([]string{"serve", "--addr", "127.0.0.1:0", "--admin-addr", "", "--log-format", "json"}, args...)
	go func() { s.done <- run(ctx, args, func(string) (string, bool) { return "", false }, s.stdout, s.stderr) }()
	t.Cleanup(func() { cancel(); <-s.done })
	return s
}

// waitListening reads the address from the "listening" log line.
func waitListening(t *testing.T, logs *kyctest.Buffer, done chan int) string {
	t.Helper()
	return waitLogAddr(t, logs, done, "listening")
}

// waitLogAddr reads the address from the first log line with message msg.
func waitLogAddr(t *testing.T, logs *kyctest.Buffer, done chan int, msg string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(logs.String(), "\n") {
			var l struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == msg {
				return l.Addr
			}
		}
		select {
		case code := <-done:
			done <- code // for the cleanup, which waits for it
			t.Fatalf("serve exited with %d before listening:\n%s", code, logs)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start listening:\n%s", logs)
	return ""
}

// waitPrintedKey reads the sandbox's first API key from a child process's stdout, which
// reaches the buffer through a pipe of its own: it may come after the "listening" line on
// stderr.
func waitPrintedKey(t *testing.T, stdout *kyctest.Buffer) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if key := printedKey.FindString(stdout.String()); key != "" {
			return key
		}
	}
	t.Fatalf("serve printed no API key:\n%s", stdout)
	return ""
}

func get(t *testing.T, url, key string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("X-XFERS-APP-API-KEY", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestServeSandboxPrintsAKeyOnceAndShutsDownGracefully(t *testing.T) {
	path := dbPath(t)
	s := startServe(t, "--db", path)
	key := printedKey.FindString(s.stdout.String())
	if key == "" {
		t.Fatalf("no API key printed on the first sandbox start:\n%s", s.stdout)
	}
	if code := get(t, s.base+"/v1/authorize/hello", key); code != http.StatusOK {
		t.Fatalf("hello with the printed key: %d", code)
	}

	// A request in flight when the signal comes still completes.
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, s.base+"/v1/kyc/customer_profiles", pr)
	req.Header.Set("X-XFERS-APP-API-KEY", key)
	req.Header.Set("Content-Type", "application/json")
	answered := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- -1
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	body := kyctest.JSON(kyctest.ValidProfile())
	pw.Write(body[:10])
	time.Sleep(100 * time.Millisecond) // the request is now in the handler, reading its body
	s.stop()
	time.Sleep(100 * time.Millisecond) // shutdown has begun
	pw.Write(body[10:])
	pw.Close()
	if code := <-answered; code != http.StatusOK {
		t.Errorf("in-flight create during shutdown: %d, want 200", code)
	}
	if code := <-s.done; code != 0 {
		t.Errorf("serve exited with %d after SIGINT:\n%s", code, s.stderr)
	}
	s.done <- 0 // for the cleanup

	again := startServe(t, "--db", path)
	if printedKey.MatchString(again.stdout.String()) {
		t.Errorf("a key was printed again on the second start:\n%s", again.stdout)
	}
}

func TestServeProductionCreatesNoAccount(t *testing.T) {
	s := startServe(t, "--db", dbPath(t), "--env", "production", "--kek", pgtest.KEK)
	if printedKey.MatchString(s.stdout.String()) {
		t.Errorf("production printed a key:\n%s", s.stdout)
	}
}

// TestCreatedProfileSurvivesKill checks the promise behind a 200: the profile is committed
// before the answer, so a process killed right after it loses nothing.
func TestCreatedProfileSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := dbPath(t)
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--admin-addr", "", "--db", path, "--log-format", "json")
	cmd.Env = append(os.Environ(), "KYC_TEST_MAIN=1")
	stdout, stderr := &kyctest.Buffer{}, &kyctest.Buffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan int, 1)
	go func() { cmd.Wait(); exited <- cmd.ProcessState.ExitCode() }()
	base := waitListening(t, stderr, exited)
	key := waitPrintedKey(t, stdout)

	id := createProfile(t, base, key)
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited

	findProfileIn(t, path, id, "the database after kill -9")
}
