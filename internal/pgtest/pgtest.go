// Package pgtest gives each test a PostgreSQL database of its own: a fresh schema in the
// database named by KYC_TEST_POSTGRES_DSN, dropped when the test ends. Tests that call it
// are skipped, with a message saying so, when that variable is not set. EachDB runs a test
// on every database the store supports. A Proxy in front of the database lets a test take
// it away and bring it back.
//
// It does not import the store, so that the store's own tests can use it.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// EnvDSN names the environment variable that holds the URL of the test database, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const EnvDSN = "KYC_TEST_POSTGRES_DSN"

// KEK is the key-encryption key of every test database on PostgreSQL, whose key file cannot
// sit beside the database as SQLite's does: a fixed test key, protecting nothing real.
const KEK = "base64key://dGVzdC1rZWstMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY="

// KEKOf is the KEK a test opens dsn with: KEK on PostgreSQL, "" (the key file beside the
// database) on SQLite.
func KEKOf(dsn string) string {
	if strings.HasPrefix(dsn, "postgres") {
		return KEK
	}
	return ""
}

// EachDB runs fn once per database the store supports, each in a subtest of its name, with
// the URL of a fresh, empty database: a SQLite file in a temporary directory, and a fresh
// PostgreSQL schema (skipped when KYC_TEST_POSTGRES_DSN is not set). Opening the URL again
// opens the same database, as another instance or after a restart.
func EachDB(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, "sqlite:"+filepath.Join(t.TempDir(), "kyc.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, DSN(t)) })
}

// DSN creates a fresh schema and returns a URL whose connections use it (search_path), so
// that each test has empty tables of its own and tests can run in parallel. The schema
// and everything in it are dropped when the test ends.
func DSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvDSN)
	if base == "" {
		t.Skipf("%s is not set: skipping the PostgreSQL run (README: Testing against PostgreSQL)", EnvDSN)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s is not a URL: %v", EnvDSN, err)
	}
	schema := "kyc_test_" + randomHex(t)
	admin := open(t, base)
	defer admin.Close()
	// The name is ours, letters and hex digits: safe to put in the SQL text.
	if _, err := admin.ExecContext(t.Context(), `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { drop(t, base, schema) })
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func drop(t testing.TB, base, schema string) {
	admin := open(t, base)
	defer admin.Close()
	// The store keeps its key store in the schema <schema>_keys (store.KeyOptions).
	if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
	}
	if _, err := admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + `_keys CASCADE`); err != nil {
		t.Errorf("drop schema %s_keys: %v", schema, err)
	}
}

func open(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("open %s: %v", EnvDSN, err)
	}
	return db
}

func randomHex(t testing.TB) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// Proxy forwards TCP connections from a loopback port to target, and can be stopped (the
// port refuses connections and every open connection is cut) and started again on the same
// port: to the server behind it, the database went away and came back.
type Proxy struct {
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

func newProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	p := &Proxy{target: target, addr: "127.0.0.1:0", conns: map[net.Conn]bool{}}
	p.Start(t)
	p.addr = p.ln.Addr().String()
	t.Cleanup(p.Stop)
	return p
}

// Start opens the port again after Stop.
func (p *Proxy) Start(t testing.TB) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("proxy: %v", err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go p.accept(ln)
}

func (p *Proxy) accept(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

func (p *Proxy) forward(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	if !p.track(c, up) {
		return
	}
	go func() { io.Copy(up, c); up.Close() }()
	io.Copy(c, up)
	c.Close()
}

// track records a connection pair, or closes it when the proxy was stopped meanwhile.
func (p *Proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		for _, c := range conns {
			c.Close()
		}
		return false
	}
	for _, c := range conns {
		p.conns[c] = true
	}
	return true
}

// Stop refuses new connections and cuts every open one.
func (p *Proxy) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

// ViaProxy returns dsn with its host:port replaced by that of a new Proxy to it, closed
// when the test ends.
func ViaProxy(t testing.TB, dsn string) (string, *Proxy) {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, u.Host)
	u.Host = p.addr
	return u.String(), p
}
