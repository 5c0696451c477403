package screening_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"sort"
	"testing"

	"github.com/openkyc/kyc/internal/screening"
)

// The floors under which TestEvaluation fails. The goal is recall ≥ 0.95 with precision ≥
// 0.90; the floors sit a little under what the algorithm measures (see README "Screening"),
// so that a change that loses a few queries' worth of either fails, while the set can still
// be regenerated with another seed without failing on noise.
const (
	recallFloor    = 0.95
	precisionFloor = 0.90
)

func readEval(t testing.TB) []evalCase {
	t.Helper()
	f, err := os.Open("testdata/eval.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 301 || !slices.Equal(rows[0], evalHeader) {
		t.Fatalf("testdata/eval.csv: %d rows, %v", len(rows), err)
	}
	var cases []evalCase
	for _, r := range rows[1:] {
		cases = append(cases, evalCase{category: r[0], kind: r[1], name: r[2], dob: r[3], country: r[4], want: r[5]})
	}
	return cases
}

func (c evalCase) subject() screening.Subject {
	s := screening.Subject{Kind: screening.Kind(c.kind), Name: c.name, DateOfBirth: screening.Date(c.dob)}
	if c.country != "" {
		s.Countries = []string{c.country}
	}
	return s
}

// tally counts, per category and in all, what the screening of the evaluation set gave.
// A query is an alert when it has a hit; a positive query's alert is right when its
// entry is among the hits (the same party listed by OFAC and the UN is both); a negative
// query's alert is a false one.
type tally struct{ positives, found, alerts, rightAlerts int }

func (t *tally) add(c evalCase, hits []string) {
	found := slices.Contains(hits, c.want)
	if c.want != "" {
		t.positives++
		if found {
			t.found++
		}
	}
	if len(hits) > 0 {
		t.alerts++
		if found {
			t.rightAlerts++
		}
	}
}

func (t tally) recall() float64    { return float64(t.found) / float64(max(1, t.positives)) }
func (t tally) precision() float64 { return float64(t.rightAlerts) / float64(max(1, t.alerts)) }

func evaluate(ix *screening.Index, cases []evalCase, threshold float64, misses func(evalCase, []string)) (tally, map[string]*tally) {
	var all tally
	per := map[string]*tally{}
	for _, c := range cases {
		var refs []string
		for _, h := range ix.Screen(c.subject(), threshold) {
			refs = append(refs, h.List+":"+h.Entry.Ref)
		}
		all.add(c, refs)
		if per[c.category] == nil {
			per[c.category] = &tally{}
		}
		per[c.category].add(c, refs)
		wrong := c.want == "" && len(refs) > 0 || c.want != "" && !slices.Contains(refs, c.want)
		if wrong && misses != nil {
			misses(c, refs)
		}
	}
	return all, per
}

// TestEvaluation screens the labelled evaluation set against the real lists and prints
// precision and recall at the default threshold, in all and per category.
func TestEvaluation(t *testing.T) {
	ix := realIndexOf(t)
	cases := readEval(t)
	all, per := evaluate(ix, cases, screening.DefaultThreshold, func(c evalCase, got []string) {
		t.Logf("miss: %s %q dob %q country %q: want %q, got %v", c.category, c.name, c.dob, c.country, c.want, got)
	})
	var cats []string
	for c := range per {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		p := per[c]
		fmt.Printf("evaluation %-13s positives %3d found %3d alerts %3d\n", c, p.positives, p.found, p.alerts)
	}
	fmt.Printf("evaluation at threshold %.2f: %d queries (%d positive), recall %.3f, precision %.3f\n",
		screening.DefaultThreshold, len(cases), all.positives, all.recall(), all.precision())
	if all.recall() < recallFloor || all.precision() < precisionFloor {
		t.Errorf("recall %.3f (floor %.2f), precision %.3f (floor %.2f)", all.recall(), recallFloor, all.precision(), precisionFloor)
	}
}

// BenchmarkEvaluationSweep prints recall and precision over a range of thresholds: how the
// default was chosen. (A benchmark so that the test suite does not pay for it.)
func BenchmarkEvaluationSweep(b *testing.B) {
	ix := realIndexOf(b)
	cases := readEval(b)
	for b.Loop() {
		for _, th := range []float64{0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95} {
			a, _ := evaluate(ix, cases, th, nil)
			fmt.Printf("evaluation sweep: threshold %.2f recall %.3f precision %.3f\n", th, a.recall(), a.precision())
		}
	}
}
