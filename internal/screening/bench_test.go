package screening_test

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/openkyc/kyc/internal/listtest"

	"github.com/openkyc/kyc/internal/screening"
)

// BenchmarkScreen screens every query of the evaluation set, as subjects with their date of
// birth and country, against the real OFAC and UN lists together, and prints the latency
// percentiles of one screening: wall-clock time, and the CPU time of the thread that ran
// it (which other processes on a busy machine do not inflate). Run it on one core:
//
//	go test -run X -bench 'Screen$' -cpu 1 ./internal/screening
func BenchmarkScreen(b *testing.B) {
	ix := realIndexOf(b)
	cases := readEval(b)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var wall, cpu []time.Duration
	i := 0
	for b.Loop() {
		s := cases[i%len(cases)].subject()
		start, startCPU := time.Now(), threadCPU()
		ix.Screen(s, screening.DefaultThreshold)
		cpu = append(cpu, threadCPU()-startCPU)
		wall = append(wall, time.Since(start))
		i++
	}
	b.ReportMetric(float64(percentile(cpu, 0.99).Microseconds()), "p99-cpu-µs")
	b.ReportMetric(float64(percentile(wall, 0.99).Microseconds()), "p99-wall-µs")
	fmt.Printf("screening one subject against %d entries, %d runs: CPU time p50 %v p99 %v max %v; wall time p50 %v p99 %v max %v\n",
		ix.Entries(), len(wall), percentile(cpu, 0.5), percentile(cpu, 0.99), percentile(cpu, 1),
		percentile(wall, 0.5), percentile(wall, 0.99), percentile(wall, 1))
}

func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		panic(err)
	}
	return time.Duration(ts.Nano())
}

// percentile sorts d and returns its p-th percentile (p in [0,1]).
func percentile(d []time.Duration, p float64) time.Duration {
	slices.Sort(d)
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

// BenchmarkNewIndex builds the index of the real OFAC and UN lists.
func BenchmarkNewIndex(b *testing.B) {
	ofac, un := listtest.Real(b)
	lists := []screening.Loaded{{Entries: ofac.Entries}, {Entries: un.Entries}}
	var ix *screening.Index
	for b.Loop() {
		ix = screening.NewIndex(lists)
	}
	fmt.Printf("index of %d entries, %d names\n", ix.Entries(), ix.Names())
}
