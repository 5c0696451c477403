package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
	"github.com/openkyc/kyc/internal/store"
)

// proxy forwards TCP connections from a loopback port to target, and can be stopped (the
// port refuses connections and every open connection is cut) and started again on the same
// port: to the server behind it, the database went away and came back.
type proxy struct {
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	p := &proxy{target: target, addr: "127.0.0.1:0", conns: map[net.Conn]bool{}}
	p.start(t)
	p.addr = p.ln.Addr().String()
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) start(t *testing.T) {
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

func (p *proxy) accept(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

func (p *proxy) forward(c net.Conn) {
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
func (p *proxy) track(conns ...net.Conn) bool {
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

func (p *proxy) stop() {
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

// viaProxy is dsn with its host:port replaced by a proxy to it.
func viaProxy(t *testing.T, dsn string) (string, *proxy) {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, u.Host)
	u.Host = p.addr
	return u.String(), p
}

// TestDatabaseUnavailable cuts the server off its database: API requests get 503
// STXE-9100 in the errors[] shape, /readyz fails while /healthz does not, and once the
// database is back everything works again without a restart.
func TestDatabaseUnavailable(t *testing.T) {
	dsn, p := viaProxy(t, kyctest.PostgresDSN(t))
	db, err := store.OpenWith(context.Background(), dsn, store.Options{MaxConns: 4, ConnTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := kyctest.Serve(t, db, server.Config{Env: server.Sandbox})
	s.AccountID, s.APIKey = kyctest.NewAccount(t, db, "platform")
	id := createProfiles(t, s, s.APIKey, 1)[0]
	get := func() (*http.Response, []byte) {
		return call(t, http.MethodGet, s.URL+profilesPath+id, s.APIKey, "", nil)
	}

	p.stop()
	resp, body := get()
	wantError(t, resp, body, http.StatusServiceUnavailable, kyc.CodeUnavailable)
	resp, body = postProfile(t, s.URL, s.APIKey, kyctest.JSON(kyctest.ValidProfile()))
	wantError(t, resp, body, http.StatusServiceUnavailable, kyc.CodeUnavailable)
	if resp, body := call(t, http.MethodGet, s.URL+"/readyz", "", "", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database down: %d %s", resp.StatusCode, body)
	}
	if resp, _ := call(t, http.MethodGet, s.URL+"/healthz", "", "", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz with the database down: %d, want 200", resp.StatusCode)
	}
	if !containsLog(t, s, "database unreachable") {
		t.Error("no \"database unreachable\" log line")
	}

	p.start(t)
	// The first request after the return must already succeed: the pool drops the broken
	// connections and opens new ones, with no restart and no wait.
	if resp, body := get(); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET once the database is back: %d %s", resp.StatusCode, body)
	}
	if resp, body := call(t, http.MethodGet, s.URL+"/readyz", "", "", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz once the database is back: %d %s", resp.StatusCode, body)
	}
	another := kyctest.ValidProfile()
	another["registrationId"] = "AFTER0001"
	if resp, body := postProfile(t, s.URL, s.APIKey, kyctest.JSON(another)); resp.StatusCode != http.StatusOK {
		t.Errorf("create once the database is back: %d %s", resp.StatusCode, body)
	}
}

func containsLog(t *testing.T, s *kyctest.Server, msg string) bool {
	for _, line := range s.Logs.Lines(t) {
		if line["msg"] == msg {
			return true
		}
	}
	return false
}
