package main

import (
	"log/slog"
	"runtime"
)

// minProcs is the fewest Go processors (GOMAXPROCS) kyc serve runs with. The SQLite
// driver reads, writes and fsyncs its files in system calls that keep their processor
// until the runtime's monitor takes it back; with one processor, as Go gives a process
// limited to one CPU (taskset, a container's CPU quota), each of those calls stopped every
// other goroutine, so requests waited unread while a commit was in fsync. Measured with kyc
// bench's load on one pinned CPU, SQLite creates went from 665 to 1,783 a second and the
// p99 from 979 ms to 38 ms, gets from 1,788 to 4,113 a second, with two processors instead
// of one (README: Performance).
const minProcs = 2

// ensureProcs raises GOMAXPROCS to minProcs unless the operator set it (the GOMAXPROCS
// environment variable, which then wins), and logs what it did.
func ensureProcs(log *slog.Logger, getenv func(string) string) {
	if getenv("GOMAXPROCS") != "" {
		return
	}
	if was := runtime.GOMAXPROCS(0); was < minProcs {
		runtime.GOMAXPROCS(minProcs)
		log.Info("GOMAXPROCS raised", "from", was, "to", minProcs, "why", "database file I/O blocks a processor")
	}
}
