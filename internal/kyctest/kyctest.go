// Package kyctest builds real stores and servers for tests: a SQLite file in a temporary
// directory or a fresh PostgreSQL schema, the real HTTP API on a loopback port (one or
// several over one database), and a valid profile to start from.
package kyctest

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/pgtest"
	"github.com/openkyc/kyc/internal/server"
	"github.com/openkyc/kyc/internal/store"
)

// NewDB opens and migrates a fresh SQLite database in a temporary directory.
func NewDB(t testing.TB) *store.DB {
	t.Helper()
	return OpenDB(t, "sqlite:"+filepath.Join(t.TempDir(), "kyc.db"))
}

// PostgresDSN returns the URL of a fresh, empty PostgreSQL schema, dropped when the test
// ends; the test is skipped when KYC_TEST_POSTGRES_DSN is not set. Each OpenDB of it is
// one more instance over the same database.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	return pgtest.DSN(t)
}

// OpenDB opens and migrates the database dsn, with a key-encryption key, and closes it
// when the test ends.
func OpenDB(t testing.TB, dsn string) *store.DB {
	t.Helper()
	ctx := context.Background()
	// Every test database is encrypted: SQLite's with the key file beside it.
	db, err := store.OpenWith(ctx, dsn, store.Options{Keys: store.KeyOptions{KEK: pgtest.KEKOf(dsn)}})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// Server is the API served over real HTTP on a loopback port, with one account and its key.
type Server struct {
	URL       string
	DB        *store.DB
	AccountID string
	APIKey    string
	Logs      *Buffer        // everything the server logged, as JSON lines
	API       *server.Server // the server behind URL, for its background jobs
}

// NewServer starts a sandbox server over a fresh database.
func NewServer(t testing.TB) *Server {
	t.Helper()
	return NewServerWith(t, server.Config{Env: server.Sandbox})
}

// NewServerWith starts a server with the given configuration over a fresh database. The
// logger is replaced by one that writes to Logs; a clock in cfg.Now is the store's too.
func NewServerWith(t testing.TB, cfg server.Config) *Server {
	t.Helper()
	s := Serve(t, NewDB(t), cfg)
	s.AccountID, s.APIKey = NewAccount(t, s.DB, "platform")
	return s
}

// Unlimited is the rate limit of test servers that do not set one: tests send requests as
// fast as they can (and some on a frozen clock), which the defaults would refuse. The rate
// limit tests set theirs.
var Unlimited = kyc.RateLimit{Rate: kyc.Rate{Count: kyc.MaxRateCount, Per: time.Second}, Burst: kyc.MaxBurst}

// Serve starts the API over db on a loopback port, and creates no account: several
// servers over one database are several instances of one service. A clock in cfg.Now
// becomes the store's too. Its rate limits are Unlimited unless cfg sets them. Every
// response is checked against the OpenAPI document (see Contract): one that contradicts
// it fails the test.
func Serve(t testing.TB, db *store.DB, cfg server.Config) *Server {
	t.Helper()
	if cfg.Now != nil {
		db.Now = cfg.Now
	}
	if cfg.RateLimit == (kyc.RateLimit{}) {
		cfg.RateLimit = Unlimited
	}
	if cfg.AuthFailureLimit == (kyc.RateLimit{}) {
		cfg.AuthFailureLimit = Unlimited
	}
	logs := &Buffer{}
	cfg.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := server.New(db, cfg)
	hs := httptest.NewServer(checkContract(t, srv.Handler()))
	t.Cleanup(hs.Close)
	return &Server{URL: hs.URL, DB: db, Logs: logs, API: srv}
}

// NewAccount creates an account with one API key and returns the account id and key.
func NewAccount(t testing.TB, db *store.DB, name string) (accountID, apiKey string) {
	t.Helper()
	ctx := context.Background()
	acct, err := db.CreateAccount(ctx, name)
	if err != nil {
		t.Fatalf("create account: %v", err)
	}
	secret, _, err := db.CreateAPIKey(ctx, acct.ID, "test", nil)
	if err != nil {
		t.Fatalf("create api key: %v", err)
	}
	return acct.ID, secret
}

// Buffer is a bytes.Buffer safe for a logger writing while a test reads.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Lines decodes every JSON log line written so far.
func (b *Buffer) Lines(t testing.TB) []map[string]any {
	t.Helper()
	var lines []map[string]any
	dec := json.NewDecoder(bytes.NewBufferString(b.String()))
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("log line is not JSON: %v", err)
		}
		lines = append(lines, m)
	}
	return lines
}
