package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/httpsig"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/loadtest"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/store"
)

// TestAcknowledgedCreatesSurviveKillUnderLoad kills a real `kyc serve` (kill -9) while 16
// clients create profiles as fast as it answers, half with an API key and half signed, so
// that many creates share each group commit; then every create that was answered 200 must
// be in the database, and every acknowledged signed request's nonce used up.
func TestAcknowledgedCreatesSurviveKillUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			dsn := dbPath(t)
			if dialect == "postgres" {
				dsn = pgtest.DSN(t)
			}
			plain, signed := crashAccounts(t, dsn)
			base, kill := startServeProcess(t, dsn)
			acked := hammer(t, []*loadtest.Client{
				{Base: base, APIKey: plain.apiKey, Prefix: "K"},
				{Base: base, APIKey: signed.apiKey, Signer: signed.signer, Prefix: "S"},
			}, kill)
			checkSurvivors(t, dsn, plain.id, signed.id, acked)
		})
	}
}

type crashAccount struct {
	id, apiKey string
	signer     *httpsig.Signer
}

// crashAccounts makes an account with an API key, and one that must sign its requests.
func crashAccounts(t *testing.T, dsn string) (plain, signed crashAccount) {
	t.Helper()
	ctx := context.Background()
	db := openStore(t, dsn)
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a, key, _, err := db.CreateAccountWithKey(ctx, "plain", "k", kyc.ModelCPPlus)
	if err != nil {
		t.Fatal(err)
	}
	plain = crashAccount{id: a.ID, apiKey: key}
	b, key, _, err := db.CreateAccountWithKey(ctx, "signed", "k", kyc.ModelCPPlus)
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	pk, err := db.CreatePublicKey(ctx, b.ID, "k", pub)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnableSigning(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	return plain, crashAccount{id: b.ID, apiKey: key, signer: &httpsig.Signer{KeyID: pk.ID, Key: priv}}
}

// startServeProcess runs `kyc serve` on dsn as a child process and returns its address
// and the function that kills it with SIGKILL and waits for it.
func startServeProcess(t *testing.T, dsn string) (string, func()) {
	t.Helper()
	// 16 clients as fast as they can go: far beyond the default rate limit, on purpose.
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--admin-addr", "", "--db", dsn, "--env", "production",
		"--log-format", "json", "--kek", pgtest.KEK, "--rate-limit", "1000000/s", "--rate-burst", "1000000")
	cmd.Env = append(os.Environ(), "KYC_TEST_MAIN=1")
	stderr := &kyctest.Buffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan int, 1)
	go func() { cmd.Wait(); exited <- cmd.ProcessState.ExitCode() }()
	var once sync.Once
	kill := func() {
		once.Do(func() {
			cmd.Process.Signal(syscall.SIGKILL)
			<-exited
		})
	}
	t.Cleanup(kill)
	return waitListening(t, stderr, exited), kill
}

// acked is a create the server answered 200, with the nonce it was signed with, if any.
type acked struct{ id, nonce string }

// hammer sends creates from 16 goroutines, spread over the clients, kills the server once
// 200 have been answered (in the middle of more), and returns every acknowledged create.
func hammer(t *testing.T, clients []*loadtest.Client, kill func()) []acked {
	t.Helper()
	var mu sync.Mutex
	var out []acked
	hc := &http.Client{Timeout: 20 * time.Second}
	var wg sync.WaitGroup
	for g := range 16 {
		cl := clients[g%len(clients)]
		wg.Go(func() {
			for i := int64(g+1) * 1_000_000; ; i++ { // 7 digits and more: a valid registration id
				req, err := cl.Create(i)
				if err != nil {
					t.Error(err)
					return
				}
				id, err := createdID(hc, req)
				if err != nil {
					return // the server is gone
				}
				mu.Lock()
				out = append(out, acked{id: id, nonce: req.Header.Get(httpsig.HeaderNonce)})
				n := len(out)
				mu.Unlock()
				if n == 200 {
					go kill()
				}
			}
		})
	}
	wg.Wait()
	if len(out) < 200 {
		t.Fatalf("only %d creates answered before the server went", len(out))
	}
	return out
}

func createdID(hc *http.Client, req *http.Request) (string, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var doc struct{ Data struct{ ID string } }
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status %d: %v", resp.StatusCode, err)
	}
	return doc.Data.ID, nil
}

// checkSurvivors opens the database afresh and finds every acknowledged profile, and every
// acknowledged signed request's nonce used.
func checkSurvivors(t *testing.T, dsn, plainID, signedID string, all []acked) {
	t.Helper()
	ctx := context.Background()
	db := openStore(t, dsn)
	defer db.Close()
	signedCount := 0
	for _, a := range all {
		acct := plainID
		if a.nonce != "" {
			acct = signedID
			signedCount++
			nctx, _ := store.WithNonce(ctx, signedID, a.nonce, time.Now().Add(time.Hour))
			if err := db.UseNonce(nctx); !errors.Is(err, store.ErrNonceUsed) {
				t.Errorf("the nonce of acknowledged %s is not used: %v", a.id, err)
			}
		}
		if _, err := db.FindProfileByID(ctx, acct, a.id); err != nil {
			t.Errorf("acknowledged %s lost after kill -9: %v", a.id, err)
		}
	}
	t.Logf("%d acknowledged creates (%d signed) all found after kill -9", len(all), signedCount)
}

func openStore(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.OpenWith(context.Background(), dsn, store.Options{Keys: store.KeyOptions{KEK: pgtest.KEK}})
	if err != nil {
		t.Fatal(err)
	}
	return db
}
