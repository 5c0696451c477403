package screening

import (
	"math"
	"sync"

	"github.com/openkyc/kyc"
)

// Index holds the active lists ready to screen against: every name and alias split into
// words, a vocabulary of the words with their weights, and two ways into the vocabulary for
// words that are spelt differently (shared trigrams, and the consonant skeleton). It is
// read-only once built: any number of goroutines may screen with it at once.
type Index struct {
	lists   []kyc.ListSnapshot
	entries []indexedEntry
	names   []indexedName
	vocab   []vocabWord
	byWord  map[string]int32
	bySkel  map[string][]int32
	grams   map[uint32][]int32
	scratch sync.Pool // *scratch, sized for this index
}

type indexedEntry struct {
	entry Entry
	list  int // index in lists
}

type indexedName struct {
	entry int32
	alias bool
	words []int32 // vocabulary ids
	total float64 // the sum of the words' weights
}

type vocabWord struct {
	word   string
	class  tokenClass
	weight float64
	names  []int32 // the names holding the word
}

// NewIndex builds the index of the given lists.
func NewIndex(lists []Loaded) *Index {
	ix := &Index{byWord: map[string]int32{}, bySkel: map[string][]int32{}, grams: map[uint32][]int32{}}
	for li, l := range lists {
		ix.lists = append(ix.lists, l.Snapshot)
		for _, e := range l.Entries {
			ix.addEntry(e, li)
		}
	}
	ix.weigh()
	ix.scratch.New = func() any { return newScratch(len(ix.vocab), len(ix.names)) }
	return ix
}

// Lists returns the snapshots the index was built from.
func (ix *Index) Lists() []kyc.ListSnapshot { return ix.lists }

func (ix *Index) addEntry(e Entry, list int) {
	id := int32(len(ix.entries))
	ix.entries = append(ix.entries, indexedEntry{entry: e, list: list})
	ix.addName(id, e.Name, false)
	for _, a := range e.Aliases {
		ix.addName(id, a, true)
	}
}

func (ix *Index) addName(entry int32, name string, alias bool) {
	words := normalize(name)
	if len(words) == 0 {
		return
	}
	n := indexedName{entry: entry, alias: alias, words: make([]int32, len(words))}
	nameID := int32(len(ix.names))
	for i, w := range words {
		n.words[i] = ix.word(w)
		v := &ix.vocab[n.words[i]]
		if len(v.names) == 0 || v.names[len(v.names)-1] != nameID {
			v.names = append(v.names, nameID)
		}
	}
	ix.names = append(ix.names, n)
}

// word returns the vocabulary id of w, adding it if new.
func (ix *Index) word(w string) int32 {
	if id, ok := ix.byWord[w]; ok {
		return id
	}
	id := int32(len(ix.vocab))
	ix.vocab = append(ix.vocab, vocabWord{word: w, class: classOf(w)})
	ix.byWord[w] = id
	if s := skeleton(w); len(s) >= 2 {
		ix.bySkel[s] = append(ix.bySkel[s], id)
	}
	for _, g := range trigrams(w) {
		ix.grams[g] = append(ix.grams[g], id)
	}
	return id
}

// weigh gives every word its weight: the rarer a word among the names, the more a match on
// it tells (an inverse document frequency, scaled to [0.2, 1]); particles and the words of
// company forms weigh a fixed little.
func (ix *Index) weigh() {
	n := float64(len(ix.names) + 1)
	for i := range ix.vocab {
		v := &ix.vocab[i]
		v.weight = wordWeight(v.class, len(v.names), n)
	}
	for i := range ix.names {
		nm := &ix.names[i]
		for _, w := range nm.words {
			nm.total += ix.vocab[w].weight
		}
	}
}

// Weights of the word classes that say little.
const (
	particleWeight = 0.1
	legalWeight    = 0.05
	minWeight      = 0.2
)

func wordWeight(class tokenClass, df int, n float64) float64 {
	switch class {
	case particleToken:
		return particleWeight
	case legalToken:
		return legalWeight
	}
	w := math.Log(1+n/float64(df+1)) / math.Log(1+n)
	return max(minWeight, min(1, w))
}

// trigrams returns the trigrams of " w " (padded, so that short words have some), each as a
// number.
func trigrams(w string) []uint32 {
	p := " " + w + " "
	out := make([]uint32, 0, len(p)-2)
	for i := 0; i+3 <= len(p); i++ {
		out = append(out, uint32(p[i])<<16|uint32(p[i+1])<<8|uint32(p[i+2]))
	}
	return out
}

// scratch is the per-screening working memory, pooled so that screening allocates little.
type scratch struct {
	shared  []uint8  // per vocabulary word: trigrams shared with the query word
	seen    []uint32 // per name: the generation that last made it a candidate
	gen     uint32
	reach   []float64 // per candidate name: the weight of the query words it holds one like
	lastQ   []int8    // per candidate name: the last query word that added to reach
	slot    []int32   // per vocabulary word: 1 + its row in rows; 0 when no query word is like it
	rows    []simRow  // per vocabulary word like a query word: its similarity to each of them
	touched []int32   // the vocabulary words with a slot
}

// simRow holds a vocabulary word's similarity to each word of the query.
type simRow [maxNameTokens]float64

func newScratch(vocab, names int) *scratch {
	return &scratch{shared: make([]uint8, vocab), seen: make([]uint32, names), slot: make([]int32, vocab),
		reach: make([]float64, names), lastQ: make([]int8, names)}
}

// setSims records the similarity of every vocabulary word to the query words like it.
func (sc *scratch) setSims(query []queryWord) {
	for i, q := range query {
		for _, c := range q.cands {
			r := sc.slot[c.id]
			if r == 0 {
				sc.rows = append(sc.rows, simRow{})
				r = int32(len(sc.rows))
				sc.slot[c.id] = r
				sc.touched = append(sc.touched, c.id)
			}
			sc.rows[r-1][i] = c.sim
		}
	}
}

// clearSims forgets what setSims recorded.
func (sc *scratch) clearSims() {
	for _, id := range sc.touched {
		sc.slot[id] = 0
	}
	sc.touched, sc.rows = sc.touched[:0], sc.rows[:0]
}

// Entries counts the entries of every list in the index.
func (ix *Index) Entries() int { return len(ix.entries) }

// Names counts the names and aliases indexed.
func (ix *Index) Names() int { return len(ix.names) }
