//go:build race

package main

// raceDetector is whether the tests run under the race detector, which makes every child
// process they start as kyc several times slower to start and to serve.
const raceDetector = true
