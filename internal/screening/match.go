package screening

import (
	"cmp"
	"slices"
	"strings"

	"github.com/openkyc/kyc"
)

// AlgorithmVersion names the matching algorithm and its tuning; a stored screening result
// records it, so that a result can be told from one made by another version.
const AlgorithmVersion = "words-jw-1"

// DefaultThreshold is the score from which a match is a hit. It was chosen on the labelled
// evaluation set in testdata/eval.csv (see TestEvaluation and README "Screening").
const DefaultThreshold = 0.80

// MaxHits bounds the hits of one subject, best first.
const MaxHits = 20

// Subject is one party to screen: the customer, or a company's director, owner or trader.
type Subject struct {
	Kind        Kind     // Person or Organisation; "" screens against every kind
	Role        string   // the subject's part ("customer", "director", …), echoed in its hits
	Name        string   // the full name, in any script and word order
	Aliases     []string // other names it is known by
	DateOfBirth Date     // "" when unknown; full or year only
	Countries   []string // ISO 3166-1 alpha-2: nationality, residence, incorporation…
}

// Bounds of a subject, so that one screening costs a bounded time.
const (
	maxSubjectAliases   = 10
	maxSubjectCountries = 10
)

// Word similarities: below minWordSim two words do not match; words with the same
// consonant skeleton (transliterations) are taken as this similar at least.
const (
	minWordSim  = 0.86
	skeletonSim = 0.9
)

// Screen returns the entries of the index that the subject matches with a score of at least
// threshold, best first, at most MaxHits.
func (ix *Index) Screen(s Subject, threshold float64) []kyc.ScreeningHit {
	names := append([]string{s.Name}, s.Aliases[:min(len(s.Aliases), maxSubjectAliases)]...)
	best := map[int32]nameMatch{}
	sc := ix.scratch.Get().(*scratch)
	defer ix.scratch.Put(sc)
	for _, name := range names {
		ix.matchName(name, s.Kind, threshold, sc, best)
	}
	var hits []kyc.ScreeningHit
	for e, m := range best {
		if m.score+maxBonus < threshold {
			continue
		}
		if hit, ok := ix.hit(s, e, m, threshold); ok {
			hits = append(hits, hit)
		}
	}
	slices.SortFunc(hits, func(a, b kyc.ScreeningHit) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.List, b.List), cmp.Compare(a.Entry.Ref, b.Entry.Ref))
	})
	return hits[:min(len(hits), MaxHits)]
}

// nameMatch is the best name of an entry for a subject.
type nameMatch struct {
	name  int32
	score float64
	words int // the entry name's words matched
}

// queryWord is one word of a screened name with the vocabulary words like it.
type queryWord struct {
	class  tokenClass
	weight float64
	cands  []wordSim
}

type wordSim struct {
	id  int32
	sim float64
}

// matchName scores every name of the index that shares a telling word with name, keeping
// each entry's best in best.
func (ix *Index) matchName(name string, kind Kind, threshold float64, sc *scratch, best map[int32]nameMatch) {
	words := normalize(name)
	if len(words) == 0 {
		return
	}
	query := make([]queryWord, len(words))
	total := 0.0
	for i, w := range words {
		query[i] = ix.lookup(w, sc)
		total += query[i].weight
	}
	compact := strings.Join(words, "")
	sc.setSims(query)
	defer sc.clearSims()
	for _, n := range ix.candidates(query, minCoverage(threshold)*total, sc) {
		nm := &ix.names[n]
		if !kindMatches(kind, ix.entries[nm.entry].entry.Kind) {
			continue
		}
		score, matched := ix.scoreName(query, total, nm, compact, sc)
		if old, ok := best[nm.entry]; !ok || score > old.score {
			best[nm.entry] = nameMatch{name: n, score: score, words: matched}
		}
	}
}

// kindMatches: a person is screened against persons; an organisation against organisations,
// vessels and aircraft (which companies own); a subject of no kind against everything.
func kindMatches(subject, listed Kind) bool {
	switch subject {
	case "":
		return true
	case Person:
		return listed == Person
	}
	return listed != Person
}

// lookup finds the vocabulary words like w: itself, those with its consonant skeleton, and
// those sharing enough trigrams whose Jaro-Winkler similarity is at least minWordSim.
func (ix *Index) lookup(w string, sc *scratch) queryWord {
	q := queryWord{class: classOf(w)}
	add := func(id int32, sim float64) {
		for i := range q.cands {
			if q.cands[i].id == id {
				q.cands[i].sim = max(q.cands[i].sim, sim)
				return
			}
		}
		q.cands = append(q.cands, wordSim{id, sim})
	}
	if id, ok := ix.byWord[w]; ok {
		add(id, 1)
	}
	if skel := skeleton(w); len(skel) >= 2 && len(w) >= 4 {
		for _, id := range ix.bySkel[skel] {
			if v := ix.vocab[id].word; v[0] != w[0] {
				continue // a skeleton says nothing of the letters before it: HABASH is not BUSH
			}
			if sim := jaroWinkler(w, ix.vocab[id].word); sim >= 0.75 {
				add(id, max(sim, skeletonSim))
			}
		}
	}
	ix.fuzzy(w, sc, add)
	q.weight = ix.queryWeight(q)
	return q
}

// fuzzy adds the vocabulary words sharing enough trigrams with w and similar enough.
func (ix *Index) fuzzy(w string, sc *scratch, add func(int32, float64)) {
	if len(w) < 4 {
		return // short words must match exactly: one letter changes them entirely
	}
	grams := trigrams(w)
	need := uint8(max(1, (len(grams)-3)/2))
	var touched []int32
	for _, g := range grams {
		for _, id := range ix.grams[g] {
			if sc.shared[id] == 0 {
				touched = append(touched, id)
			}
			if sc.shared[id] < 255 {
				sc.shared[id]++
			}
		}
	}
	for _, id := range touched {
		if sc.shared[id] >= need {
			if sim := jaroWinkler(w, ix.vocab[id].word); sim >= minWordSim {
				add(id, sim)
			}
		}
		sc.shared[id] = 0
	}
}

// queryWeight is the weight of a screened word: that of the vocabulary word it is, or is
// most like; a word like none on the lists is as telling as the rarest.
func (ix *Index) queryWeight(q queryWord) float64 {
	switch q.class {
	case particleToken:
		return particleWeight
	case legalToken:
		return legalWeight
	}
	best, weight := 0.0, 1.0
	for _, c := range q.cands {
		if c.sim > best {
			best, weight = c.sim, ix.vocab[c.id].weight
		}
	}
	return weight
}

// candidates returns the names holding a plain word like one of the query's, and among
// them only those that hold enough of the query's weight to reach minReach of it: a name
// that shares only particles or company forms with the query can never be a hit, nor can
// one reached only through a word as common as MOHAMMED when the query has rarer ones.
func (ix *Index) candidates(query []queryWord, minReach float64, sc *scratch) []int32 {
	sc.gen++
	if sc.gen == 0 { // wrapped: forget every mark
		clear(sc.seen)
		sc.gen = 1
	}
	var out []int32
	for i, q := range query {
		for _, c := range q.cands {
			if ix.vocab[c.id].class != plainToken {
				continue
			}
			for _, n := range ix.vocab[c.id].names {
				if sc.seen[n] != sc.gen {
					sc.seen[n], sc.reach[n], sc.lastQ[n] = sc.gen, 0, -1
					out = append(out, n)
				}
				if sc.lastQ[n] != int8(i) {
					sc.lastQ[n] = int8(i)
					sc.reach[n] += q.weight
				}
			}
		}
	}
	kept := out[:0]
	for _, n := range out {
		if sc.reach[n] >= minReach {
			kept = append(kept, n)
		}
	}
	return kept
}
