package client_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/httpsig"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
	"github.com/openkyc/kyc/internal/store"
)

// Sign every request with an Ed25519 key. The base URL carries the version prefix, as
// StraitsX's does: "http://127.0.0.1:8080/v1" for `kyc serve`, or
// "https://api-sandbox.straitsx.com/v1".
func Example() {
	baseURL, apiKey, keyID, privatePEM, stop := exampleServer()
	defer stop()

	key, err := client.ParsePrivateKey(privatePEM) // e.g. os.ReadFile("private.pem")
	if err != nil {
		log.Fatal(err)
	}
	c := client.New(baseURL, apiKey, client.WithSigner(keyID, key))
	msg, err := c.Hello(context.Background())
	if err != nil {
		log.Fatal(err) // a *kyc.Error when the server refused the request
	}
	fmt.Println(msg)
	// Output: Hello world
}

// Read, change and write back a profile without overwriting a concurrent change: the ETag
// of the read goes back as If-Match, and a stale one is refused with 412.
func ExampleClient_UpdateProfile() {
	baseURL, apiKey, keyID, privatePEM, stop := exampleServer()
	defer stop()
	key, err := client.ParsePrivateKey(privatePEM)
	must(err)
	c := client.New(baseURL, apiKey, client.WithSigner(keyID, key))
	ctx := context.Background()
	created, err := c.CreateProfileJSON(ctx, kyctest.JSON(kyctest.ValidProfile()))
	must(err)

	patch := map[string]any{"email": "zhou@example.com", "phoneNo": nil} // nil removes a member
	updated, err := c.UpdateProfile(ctx, created.Data.ID, patch, created.ETag)
	must(err)
	fmt.Println(created.ETag, "→", updated.ETag, updated.Data.Attributes.Text("email"))

	_, err = c.UpdateProfile(ctx, created.Data.ID, patch, created.ETag) // created.ETag is stale now
	var e *kyc.Error
	if errors.As(err, &e) {
		fmt.Println(e.Status, e.Code)
	}
	// Output:
	// "1" → "2" zhou@example.com
	// 412 XFE16
}

// Walk every profile of the account, 100 a page, following the server's cursor.
func ExampleClient_AllProfiles() {
	baseURL, apiKey, keyID, privatePEM, stop := exampleServer()
	defer stop()
	key, err := client.ParsePrivateKey(privatePEM)
	must(err)
	c := client.New(baseURL, apiKey, client.WithSigner(keyID, key))
	ctx := context.Background()
	_, err = c.CreateProfileJSON(ctx, kyctest.JSON(kyctest.ValidProfile()))
	must(err)

	n := 0
	for doc, err := range c.AllProfiles(ctx, client.ListOptions{Size: 100, Status: kyc.StatusPending}) {
		if err != nil {
			log.Fatal(err) // a *kyc.Error when the server refused a page
		}
		n++
		_ = doc.Data.Attributes.VerificationStatus
	}
	fmt.Println(n, "pending")
	// Output: 1 pending
}

// exampleServer starts a real server with one account whose requests must be signed, and
// returns what an integrator would have: base URL, API key, key id and private key.
func exampleServer() (baseURL, apiKey, keyID string, privatePEM []byte, stop func()) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "kyc-example")
	must(err)
	db, err := store.Open(ctx, filepath.Join(dir, "kyc.db"))
	must(err)
	_, err = db.Migrate(ctx)
	must(err)
	acct, err := db.CreateAccount(ctx, "example")
	must(err)
	apiKey, _, err = db.CreateAPIKey(ctx, acct.ID, "example", nil)
	must(err)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	must(err)
	pk, err := db.CreatePublicKey(ctx, acct.ID, "example", pub)
	must(err)
	must(db.EnableSigning(ctx, acct.ID))
	privatePEM, err = httpsig.MarshalPrivateKey(priv)
	must(err)
	hs := httptest.NewServer(server.New(db, server.Config{Env: server.Sandbox}).Handler())
	return hs.URL + "/v1", apiKey, pk.ID, privatePEM, func() { hs.Close(); db.Close(); os.RemoveAll(dir) }
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
