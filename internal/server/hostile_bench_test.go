package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/openkyc/kyc/internal/kyctest"
)

// hostileSize is the size of a hostile body: just under the 1 MiB the server reads.
const hostileSize = 1<<20 - 64

// hostileBodies are create bodies of about 1 MiB built to cost as much as a body can. Each
// is refused; what matters is how cheaply.
func hostileBodies() map[string][]byte {
	return map[string][]byte{
		// ~90,000 unknown members of the top-level object.
		"unknown-members": fill("{", func(i int) string { return fmt.Sprintf(`"m%06d":0`, i) }, "}"),
		// An array nested as deep as the body allows.
		"deep-nesting": []byte(`{"a":` + strings.Repeat("[", hostileSize) + "}"),
		// Arrays of arrays of numbers: half a million values.
		"many-values": fill(`{"a":[`, func(int) string { return "[" + strings.Repeat("0,", 199) + "0]" }, "]}"),
		// Objects within the member bound, each member an array within the element bound.
		"wide-objects": fill(`{"a":[`, func(int) string { return wideObject(200, 2) }, "]}"),
		// Every director wrong in every way: thousands of problems within the bounds.
		"many-problems": manyProblems(),
		// One string of a megabyte where a name belongs.
		"long-string": []byte(`{"firstName":"` + strings.Repeat("a", hostileSize) + `"}`),
	}
}

// fill repeats item, comma-separated, between open and close up to hostileSize bytes.
func fill(open string, item func(i int) string, close string) []byte {
	var b bytes.Buffer
	b.WriteString(open)
	for i := 0; ; i++ {
		next := item(i)
		if b.Len()+1+len(next)+len(close) > hostileSize {
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(next)
	}
	b.WriteString(close)
	return b.Bytes()
}

// wideObject is an object of n members, each an array of k numbers.
func wideObject(n, k int) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"m%d":[%s0]`, i, strings.Repeat("0,", k-1))
	}
	b.WriteByte('}')
	return b.String()
}

// manyProblems is a business body whose 45 directors each have four members of the wrong
// type and 200 unknown members: 9,180 problems in 9,227 values, under kyc.MaxValues.
func manyProblems() []byte {
	var b strings.Builder
	b.WriteString(`{"registrationType":"business","directors":[`)
	for d := range 45 {
		if d > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"firstName":1,"lastName":[],"dateOfBirth":{},"nationality":true`)
		for i := range 200 {
			fmt.Fprintf(&b, `,"x%03d":"%s"`, i, strings.Repeat("\u00e9", 10))
		}
		b.WriteByte('}')
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// BenchmarkHostileCreate sends each hostile body through the create handler (in process,
// no network) and reports the process's CPU time per request, garbage collection included,
// and the bytes allocated. Run:
//
//	go test ./internal/server -run '^$' -bench HostileCreate -benchtime 50x
func BenchmarkHostileCreate(b *testing.B) {
	s := kyctest.NewServer(b)
	h := s.API.Handler()
	for name, body := range hostileBodies() {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			start := cpuTime(b)
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/v1/kyc/customer_profiles", bytes.NewReader(body))
				req.Header.Set("X-XFERS-APP-API-KEY", s.APIKey)
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusBadRequest {
					b.Fatalf("answered %d %.200s, want 400", rec.Code, rec.Body)
				}
			}
			b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N)/float64(time.Millisecond), "cpu-ms/op")
		})
	}
}

// cpuTime is the CPU time the process has used, user and system, on all threads.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
