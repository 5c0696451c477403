package screening_test

import (
	"encoding/csv"
	"flag"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/openkyc/kyc/internal/listtest"
	"github.com/openkyc/kyc/internal/screening"
)

var generateEval = flag.Bool("generate-eval", false, "write testdata/eval.csv anew from the real lists")

// evalCase is one labelled query of the evaluation set.
type evalCase struct {
	category, kind, name, dob, country string
	want                               string // list:ref of the entry meant, "" for a name no entry bears
}

var evalHeader = []string{"category", "kind", "name", "date_of_birth", "country", "expected"}

// TestGenerateEval writes the evaluation set, deterministically (a fixed seed) from the real
// lists: variants of listed names (reordered, misspelt, shortened, aliases, transliterated
// into Cyrillic and back, spelt as other transliterations do, with diacritics) and hard
// negatives (common names, listed names with another surname, company names that share
// only their legal form and trade words with a listed one). Run with -generate-eval.
func TestGenerateEval(t *testing.T) {
	if !*generateEval {
		t.Skip("run with -generate-eval to write testdata/eval.csv")
	}
	ofac, un := listtest.Real(t)
	g := &evalGen{rng: rand.New(rand.NewPCG(13, 2026)), lists: []*screening.List{ofac, un}}
	g.exact.names = map[string]bool{}
	for _, l := range g.lists {
		for _, e := range l.Entries {
			for _, n := range append([]string{e.Name}, e.Aliases...) {
				g.exact.names[wordKey(n)] = true
			}
		}
	}
	var cases []evalCase
	for _, spec := range []struct {
		category string
		n        int
		make     func(screening.Entry) (string, bool)
		kinds    []screening.Kind
	}{
		{"exact", 20, func(e screening.Entry) (string, bool) { return e.Name, true }, nil},
		{"reordered", 30, reorder, nil},
		{"typo", 40, g.typo, nil},
		{"missing-part", 30, g.dropPart, []screening.Kind{screening.Person}},
		{"alias", 30, g.alias, nil},
		{"cyrillic", 30, cyrillic, []screening.Kind{screening.Person}},
		{"spelling", 30, respell, []screening.Kind{screening.Person}},
		{"diacritics", 20, g.diacritics, nil},
	} {
		cases = append(cases, g.positives(spec.category, spec.n, spec.make, spec.kinds)...)
	}
	cases = append(cases, g.commonNames()...)
	cases = append(cases, g.nearNames(40)...)
	cases = append(cases, g.sharedSurnames(30)...)
	cases = append(cases, g.suffixOnly(40)...)
	writeEval(t, cases)
}

type evalGen struct {
	rng   *rand.Rand
	lists []*screening.List
	exact struct{ names map[string]bool }
}

// wordKey is a name's words, upper case, sorted: two names with the same key are the same
// name for a negative's purposes.
func wordKey(name string) string {
	words := strings.FieldsFunc(strings.ToUpper(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	sort.Strings(words)
	return strings.Join(words, " ")
}

func (g *evalGen) pick(kinds []screening.Kind) (screening.Entry, string) {
	for {
		l := g.lists[0]
		if g.rng.IntN(4) == 0 {
			l = g.lists[1]
		}
		e := l.Entries[g.rng.IntN(len(l.Entries))]
		if kinds == nil || slices.Contains(kinds, e.Kind) {
			return e, string(l.Source) + ":" + e.Ref
		}
	}
}

func (g *evalGen) positives(category string, n int, make func(screening.Entry) (string, bool), kinds []screening.Kind) []evalCase {
	var out []evalCase
	for tries := 0; len(out) < n && tries < 100*n; tries++ {
		e, ref := g.pick(kinds)
		if e.Kind != screening.Person && e.Kind != screening.Organisation {
			continue
		}
		name, ok := make(e)
		if !ok || name == "" {
			continue
		}
		c := evalCase{category: category, kind: string(e.Kind), name: name, want: ref}
		if len(e.Births) > 0 && g.rng.IntN(3) == 0 {
			c.dob = string(e.Births[0])
		}
		if len(e.Countries) > 0 && g.rng.IntN(3) == 0 {
			c.country = e.Countries[0]
		}
		out = append(out, c)
	}
	return out
}

// words splits a listed name ("ZUBKOV, Sergei Yevgenevich") into its words.
func words(name string) []string {
	return strings.Fields(strings.NewReplacer(",", " ", ";", " ").Replace(name))
}

// reorder writes "LAST, First Middle" as "First Middle Last", or reverses other names.
func reorder(e screening.Entry) (string, bool) {
	if last, first, ok := strings.Cut(e.Name, ", "); ok {
		return first + " " + last, true
	}
	w := words(e.Name)
	if len(w) < 2 {
		return "", false
	}
	slices.Reverse(w)
	return strings.Join(w, " "), true
}

// typo makes one edit (substitution, deletion, insertion or transposition) in one word of
// at least five letters.
func (g *evalGen) typo(e screening.Entry) (string, bool) {
	w := words(e.Name)
	var long []int
	for i, x := range w {
		if len(x) >= 5 {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return "", false
	}
	i := long[g.rng.IntN(len(long))]
	b := []byte(w[i])
	p := 1 + g.rng.IntN(len(b)-2)
	letter := byte('a' + g.rng.IntN(26))
	if unicode.IsUpper(rune(b[p])) {
		letter -= 'a' - 'A'
	}
	switch g.rng.IntN(4) {
	case 0:
		b[p] = letter
	case 1:
		b = append(b[:p], b[p+1:]...)
	case 2:
		b = append(b[:p], append([]byte{letter}, b[p:]...)...)
	default:
		b[p], b[p+1] = b[p+1], b[p]
	}
	w[i] = string(b)
	return strings.Join(w, " "), true
}

// dropPart leaves out one middle word of a name of three words or more.
func (g *evalGen) dropPart(e screening.Entry) (string, bool) {
	w := words(e.Name)
	if len(w) < 3 {
		return "", false
	}
	i := 1 + g.rng.IntN(len(w)-2)
	return strings.Join(slices.Delete(w, i, i+1), " "), true
}

// alias queries one of the entry's aliases written in Latin letters.
func (g *evalGen) alias(e screening.Entry) (string, bool) {
	var latin []string
	for _, a := range e.Aliases {
		if isLatin(a) && len(words(a)) >= 2 {
			latin = append(latin, a)
		}
	}
	if len(latin) == 0 {
		return "", false
	}
	return latin[g.rng.IntN(len(latin))], true
}

func isLatin(s string) bool {
	for _, r := range s {
		if r > unicode.MaxLatin1 {
			return false
		}
	}
	return true
}

// cyrillic writes a person's name in Cyrillic letters, as a Russian document would.
func cyrillic(e screening.Entry) (string, bool) {
	if !isLatin(e.Name) {
		return "", false
	}
	first, _ := reorder(e)
	r := strings.NewReplacer("SHCH", "Щ", "ZH", "Ж", "KH", "Х", "TS", "Ц", "CH", "Ч", "SH", "Ш", "YU", "Ю", "YA", "Я",
		"YE", "Е", "YO", "Ё", "A", "А", "B", "Б", "V", "В", "G", "Г", "D", "Д", "E", "Е", "Z", "З", "I", "И", "Y", "Й",
		"K", "К", "L", "Л", "M", "М", "N", "Н", "O", "О", "P", "П", "R", "Р", "S", "С", "T", "Т", "U", "У", "F", "Ф",
		"H", "Х", "J", "Дж", "W", "В", "X", "Кс", "C", "К", "Q", "К")
	return r.Replace(strings.ToUpper(first)), true
}

// respell applies the spellings on which transliterations of one name disagree; only names
// that change are used.
func respell(e screening.Entry) (string, bool) {
	name := strings.ToUpper(e.Name)
	r := strings.NewReplacer("MOHAMMED", "MUHAMMAD", "MUHAMMAD", "MOHAMED", "MOHAMMAD", "MUHAMMED", "AHMAD", "AHMED",
		"AHMED", "AHMAD", "HUSSEIN", "HUSAYN", "HUSAIN", "HUSSEIN", "ABDUL", "ABDEL", "ABDEL", "ABDUL", "YUSUF", "YOUSSEF",
		"OU", "U", "KH", "H", "IY ", "I ", "YEV", "EV", "EE", "I", "Q", "K", "SH", "CH", "DJ", "J", "AI", "AY", "EI", "EY")
	out := r.Replace(name)
	return out, out != name
}

// diacritics puts accents on some vowels and writes the name in lower case.
func (g *evalGen) diacritics(e screening.Entry) (string, bool) {
	if !isLatin(e.Name) {
		return "", false
	}
	accents := map[rune][]rune{'a': []rune("áàâä"), 'e': []rune("éèêë"), 'i': []rune("íï"), 'o': []rune("óôö"), 'u': []rune("úüû"), 'c': []rune("ç"), 'n': []rune("ñ")}
	var b strings.Builder
	changed := false
	for _, r := range strings.ToLower(e.Name) {
		if alts, ok := accents[r]; ok && g.rng.IntN(3) == 0 {
			r, changed = alts[g.rng.IntN(len(alts))], true
		}
		b.WriteRune(r)
	}
	return b.String(), changed
}

// commonPeople are frequent names across the world, none of them a listed party's.
var commonPeople = []string{
	"John Smith", "Mary Johnson", "James Williams", "Patricia Brown", "Robert Jones", "Jennifer Garcia",
	"Michael Miller", "Linda Davis", "David Rodriguez", "Maria Martinez", "Jose Hernandez", "Juan Lopez",
	"Wei Zhang", "Fang Wang", "Min Li", "Jing Liu", "Yong Chen", "Hui Yang", "Tan Wei Ming", "Lim Mei Ling",
	"Nguyen Van Anh", "Tran Thi Lan", "Siti Nurhaliza", "Nur Aisyah Binti Ahmad", "Rajesh Kumar", "Priya Sharma",
	"Amit Patel", "Sunita Singh", "Hiroshi Tanaka", "Yuki Suzuki", "Ji-hoon Kim", "Seo-yeon Park",
	"Olga Ivanova", "Dmitri Petrov", "Anna Kowalska", "Piotr Nowak", "Hans Mueller", "Sophie Martin",
	"Luca Rossi", "Giulia Bianchi", "Ahmed Hassan Mostafa", "Fatima Zahra Benali", "Oluwaseun Adeyemi", "Grace Wanjiru",
	"George Bush", "Emma Thompson", "Oliver Wilson", "Chloe Tremblay", "Lucas Silva", "Ana Souza",
}

func (g *evalGen) commonNames() []evalCase {
	var out []evalCase
	for _, n := range commonPeople {
		if !g.exact.names[wordKey(n)] {
			out = append(out, evalCase{category: "common-name", kind: "person", name: n})
		}
	}
	return out
}

var surnames = []string{"SMITH", "JOHNSON", "TANAKA", "KOWALSKI", "FERREIRA", "OKONKWO", "LINDQVIST", "MURPHY",
	"NAKAMURA", "DUBOIS", "ROSSI", "SCHMIDT", "JANSSEN", "HANSEN", "NOVAK", "PETERSEN", "WATANABE", "GONZALEZ",
	"MORENO", "OLIVEIRA", "FISCHER", "BECKER", "LAURENT", "BERNARD", "KELLY", "WALSH", "CAMPBELL", "STEWART"}

// nearNames gives listed persons another surname: the given names agree, the person does not.
func (g *evalGen) nearNames(n int) []evalCase {
	return g.renamed("near-name", n, func(last, first string) (string, bool) {
		s := surnames[g.rng.IntN(len(surnames))]
		return first + " " + s, !strings.EqualFold(last, s)
	})
}

// renamed makes n negatives from listed persons' names written "LAST, First", renamed by
// rename; names that some entry bears are skipped.
func (g *evalGen) renamed(category string, n int, rename func(last, first string) (string, bool)) []evalCase {
	var out []evalCase
	for len(out) < n {
		e, _ := g.pick([]screening.Kind{screening.Person})
		last, first, ok := strings.Cut(e.Name, ", ")
		if !ok || !isLatin(e.Name) {
			continue
		}
		if name, ok := rename(last, first); ok && !g.exact.names[wordKey(name)] {
			out = append(out, evalCase{category: category, kind: "person", name: name})
		}
	}
	return out
}

var givenNames = []string{"Mary", "Peter", "Linda", "Thomas", "Sarah", "Kevin", "Laura", "Daniel", "Emily", "Mark",
	"Jessica", "Paul", "Helen", "Brian", "Nancy", "Steven", "Karen", "Edward", "Susan", "Gary"}

// sharedSurnames gives a listed person's surname another given name: a relative, perhaps,
// but not the listed person.
func (g *evalGen) sharedSurnames(n int) []evalCase {
	return g.renamed("shared-surname", n, func(last, _ string) (string, bool) {
		return givenNames[g.rng.IntN(len(givenNames))] + " " + last, true
	})
}

var innocuous = []string{"BLUE", "HARBOR", "NORTHWIND", "SUNRISE", "MAPLE", "GOLDEN", "HARVEST", "SILVER", "LAKE",
	"PINNACLE", "MERIDIAN", "CEDAR", "ORCHID", "SUMMIT", "HORIZON", "EVERGREEN", "COASTAL", "PRAIRIE", "LANTERN", "BRIGHTON"}

// suffixOnly keeps a listed company's legal form and trade words and replaces its name.
func (g *evalGen) suffixOnly(n int) []evalCase {
	var out []evalCase
	for len(out) < n {
		e, _ := g.pick([]screening.Kind{screening.Organisation})
		var kept []string
		for _, w := range words(e.Name) {
			if screening.CompanyWord(w) {
				kept = append(kept, w)
			}
		}
		if len(kept) == 0 {
			continue
		}
		name := innocuous[g.rng.IntN(len(innocuous))] + " " + innocuous[g.rng.IntN(len(innocuous))] + " " + strings.Join(kept, " ")
		if !g.exact.names[wordKey(name)] {
			out = append(out, evalCase{category: "suffix-only", kind: "organisation", name: name})
		}
	}
	return out
}

func writeEval(t *testing.T, cases []evalCase) {
	f, err := os.Create("testdata/eval.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.Write(evalHeader)
	for _, c := range cases {
		w.Write([]string{c.category, c.kind, c.name, c.dob, c.country, c.want})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d cases", len(cases))
}
