package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
)

// TestReadyWhileDiskFull fills a real file system under a SQLite database: a create gets 503
// STXE-9100 with Retry-After (not an internal error), /readyz answers 503 from that failure
// on while /healthz stays 200, and once space is freed the write probe finds the server
// ready and creates work again, without a restart. It needs to mount a small tmpfs (root on
// Linux, as in CI) and says so when it cannot.
func TestReadyWhileDiskFull(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=4m"); err != nil {
		t.Skipf("cannot mount a 4 MB tmpfs for the disk-full case (needs root): %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) }) // after the database closes
	s := kyctest.Serve(t, kyctest.OpenDB(t, "sqlite:"+filepath.Join(dir, "kyc.db")), server.Config{Env: server.Sandbox})
	_, key := kyctest.NewAccount(t, s.DB, "acme")
	create := func(i int) (*http.Response, []byte) {
		body := kyctest.ValidProfile()
		body["registrationId"] = fmt.Sprintf("S%07dF", i)
		return postProfile(t, s.URL, key, kyctest.JSON(body))
	}
	waitReady(t, s.URL, http.StatusOK)
	if resp, _ := create(0); resp.StatusCode != http.StatusOK {
		t.Fatalf("create before the disk filled: %d", resp.StatusCode)
	}

	filler := filepath.Join(dir, "filler")
	fillDisk(t, filler)
	failed := 0
	for i := 1; i <= 200 && failed == 0; i++ {
		if resp, body := create(i); resp.StatusCode != http.StatusOK {
			failed = i
			wantError(t, resp, body, http.StatusServiceUnavailable, kyc.CodeUnavailable)
			if resp.Header.Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
		}
	}
	if failed == 0 {
		t.Fatal("200 creates on a full disk all succeeded")
	}
	// No probe has run: the refused create itself made the server not ready.
	if resp, _ := call(t, http.MethodGet, s.URL+"/readyz", "", "", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz after a refused write: %d, want 503", resp.StatusCode)
	}
	if resp, _ := call(t, http.MethodGet, s.URL+"/healthz", "", "", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz on a full disk: %d, want 200", resp.StatusCode)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.API.ProbeWrites(ctx, 10*time.Millisecond) }()
	defer func() { cancel(); <-done }()
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	waitReady(t, s.URL, http.StatusOK)
	if resp, body := create(failed); resp.StatusCode != http.StatusOK {
		t.Errorf("create once space was freed: %d %s", resp.StatusCode, body)
	}
}

// fillDisk writes path until the file system is full.
func fillDisk(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 16<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}

// waitReady waits up to 5 s for /readyz to answer want.
func waitReady(t *testing.T, base string, want int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		resp, _ := call(t, http.MethodGet, base+"/readyz", "", "", nil)
		if resp.StatusCode == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz answers %d, want %d", resp.StatusCode, want)
		}
	}
}
