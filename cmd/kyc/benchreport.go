package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openkyc/kyc/internal/loadtest"
)

// benchRunner runs the rounds of one target.
type benchRunner struct {
	cli       *cli
	exe       string
	pin       pinner
	f         benchFlags
	t         benchTarget
	api, echo *process
	pairs     map[string][]benchPair // by scenario, one per round
}

// benchPair is a scenario's run and the bare run just before it.
type benchPair struct{ run, bare loadtest.Result }

func (p benchPair) ratio() float64 {
	if p.bare.RPS == 0 {
		return 0
	}
	return p.run.RPS / p.bare.RPS
}

// The scenarios, in the order each round runs them. The "half" ones run the create at half
// the rate its full run reached in the same round.
var benchScenarios = []string{"create-key", "create-key@half", "create-signed", "create-signed@half", "get", "list"}

func (r *benchRunner) rounds(ctx context.Context) error {
	r.pairs = map[string][]benchPair{}
	stamp := strconv.FormatInt(time.Now().UnixNano(), 36)
	for round := 1; round <= r.f.rounds; round++ {
		for i, sc := range benchScenarios {
			bare, err := r.load(ctx, nil, "--url", r.echo.url(), "--kind", "echo")
			if err != nil {
				return err
			}
			prefix := fmt.Sprintf("B%s%d%d", stamp, round, i)
			run, err := r.scenario(ctx, sc, prefix)
			if err != nil {
				return err
			}
			p := benchPair{run: run, bare: bare}
			r.pairs[sc] = append(r.pairs[sc], p)
			r.cli.printf("round %d %-19s %8.0f req/s  p50 %-9s p99 %-9s errors %-4d | bare %8.0f req/s  ratio %.3f%s\n",
				round, sc, run.RPS, ms(run.P50), ms(run.P99), run.Errors, bare.RPS, p.ratio(), firstError(run))
		}
	}
	return nil
}

// scenario runs one scenario against the API.
func (r *benchRunner) scenario(ctx context.Context, sc, prefix string) (loadtest.Result, error) {
	key := []string{"KYC_API_KEY=" + r.t.apiKey}
	args := []string{"--url", r.api.url(), "--prefix", prefix}
	name, half := strings.CutSuffix(sc, "@half")
	if half {
		full := r.pairs[name][len(r.pairs[name])-1].run.RPS
		args = append(args, "--rate", strconv.FormatFloat(max(full/2, 1), 'f', 1, 64))
	}
	switch name {
	case "create-key":
		args = append(args, "--kind", "create")
	case "create-signed":
		key = []string{"KYC_API_KEY=" + r.t.signedKey, "KYC_KEY_SEED=" + hex.EncodeToString(r.t.seed)}
		args = append(args, "--kind", "create", "--key-id", r.t.keyID)
	default:
		args = append(args, "--kind", name)
	}
	return r.load(ctx, key, args...)
}

// benchSummary is one scenario of one target over all rounds: the medians.
type benchSummary struct {
	target, scenario string
	rps, ratio       float64
	p50, p99         time.Duration
	errors           int64
	rss              string
}

func (r *benchRunner) summaries(rss string) []benchSummary {
	var out []benchSummary
	for _, sc := range benchScenarios {
		ps := r.pairs[sc]
		s := benchSummary{target: r.t.name, scenario: sc, rss: rss}
		s.rps = median(ps, func(p benchPair) float64 { return p.run.RPS })
		s.ratio = median(ps, benchPair.ratio)
		s.p50 = time.Duration(median(ps, func(p benchPair) float64 { return float64(p.run.P50) }))
		s.p99 = time.Duration(median(ps, func(p benchPair) float64 { return float64(p.run.P99) }))
		for _, p := range ps {
			s.errors += p.run.Errors
		}
		out = append(out, s)
	}
	return out
}

func median(ps []benchPair, f func(benchPair) float64) float64 {
	vs := make([]float64, len(ps))
	for i, p := range ps {
		vs[i] = f(p)
	}
	slices.Sort(vs)
	if len(vs) == 0 {
		return 0
	}
	if len(vs)%2 == 0 {
		return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
	}
	return vs[len(vs)/2]
}

// printSummary prints the medians as a Markdown table, with each seeded target's share of
// the bare server as a ratio of the empty one's: the configurations run minutes apart, and a
// shared machine's speed can change meanwhile (the bare server itself was seen at 9,000 and
// at 15,000 requests a second within one bench), which their raw rates would carry over.
func (c *cli) printSummary(all []benchSummary) {
	c.printf("\n| Database | Scenario | Requests/s | Share of bare | p50 | p99 | Errors | vs empty |\n|---|---|---|---|---|---|---|---|\n")
	empty := map[string]float64{}
	for _, s := range all {
		vs := ""
		if db, ok := strings.CutSuffix(s.target, "-empty"); ok {
			empty[db+"/"+s.scenario] = s.ratio
		} else if db, ok := strings.CutSuffix(s.target, "-seeded"); ok && empty[db+"/"+s.scenario] > 0 {
			vs = fmt.Sprintf("%.2f", s.ratio/empty[db+"/"+s.scenario])
		}
		c.printf("| %s | %s | %.0f | %.3f | %s | %s | %d | %s |\n", s.target, s.scenario, s.rps, s.ratio, ms(s.p50), ms(s.p99), s.errors, vs)
	}
	seen := map[string]bool{}
	for _, s := range all {
		if !seen[s.target] {
			seen[s.target] = true
			c.printf("peak RSS of kyc serve, %s: %s\n", s.target, s.rss)
		}
	}
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) + "ms" }

func firstError(r loadtest.Result) string {
	if r.FirstError == "" {
		return ""
	}
	return "  (first error: " + r.FirstError + ")"
}
