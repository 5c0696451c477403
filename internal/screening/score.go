package screening

import (
	"fmt"
	"slices"
	"strings"

	"github.com/openkyc/kyc"
)

// pair is one query word matched to one word of a listed name.
type pair struct {
	q, n int
	sim  float64
}

// scoreName is the similarity of a screened name to a listed one, in [0,1]: the words are
// paired greedily, most similar first, whatever their order; then the share of each side's
// weight that is matched is taken, and the two shares averaged. A name is only a match if a
// plain word (not a particle or a company form) is among those paired.
func (ix *Index) scoreName(query []queryWord, qTotal float64, nm *indexedName, compact string, sc *scratch) (float64, int) {
	var buf [maxNameTokens * maxNameTokens]pair
	pairs := buf[:0]
	for j, w := range nm.words {
		r := sc.slot[w]
		if r == 0 {
			continue
		}
		row := &sc.rows[r-1]
		for i := range query {
			if row[i] > 0 {
				pairs = append(pairs, pair{i, j, row[i]})
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int {
		switch {
		case a.sim > b.sim:
			return -1
		case a.sim < b.sim:
			return 1
		}
		return 0
	})
	var usedQ, usedN uint16
	matchedQ, matchedN, matched, plain := 0.0, 0.0, 0, false
	for _, p := range pairs {
		if usedQ&(1<<p.q) != 0 || usedN&(1<<p.n) != 0 {
			continue
		}
		usedQ |= 1 << p.q
		usedN |= 1 << p.n
		v := ix.vocab[nm.words[p.n]]
		matchedQ += query[p.q].weight * p.sim
		matchedN += v.weight * p.sim
		matched++
		plain = plain || (v.class == plainToken && query[p.q].class == plainToken)
	}
	if !plain {
		return ix.compactScore(nm, compact), 0
	}
	covQ, covN := matchedQ/qTotal, matchedN/nm.total
	return max(nameBalance*min(covQ, covN)+(1-nameBalance)*max(covQ, covN), ix.compactScore(nm, compact)), matched
}

// nameBalance weighs the less covered side of a match against the better covered one: with
// 0.5 a name missing one of its three parts still scores about 0.83.
const nameBalance = 0.5

// minCoverage is the least share of the query's weight a listed name must match for its
// score to reach threshold with the best date of birth and country: the score averages
// the two sides' coverage, the listed side's being at most 1.
func minCoverage(threshold float64) float64 {
	return max(0, (threshold-maxBonus-(1-nameBalance))/nameBalance)
}

// compactScore is 1 when the two names are the same letters with the spaces elsewhere
// (ABDULRAHMAN and ABDUL RAHMAN), else 0.
func (ix *Index) compactScore(nm *indexedName, compact string) float64 {
	if len(compact) < 6 {
		return 0
	}
	var b strings.Builder
	for _, w := range nm.words {
		b.WriteString(ix.vocab[w].word)
	}
	if b.String() == compact {
		return 1
	}
	return 0
}

// The effects of the date of birth and the countries on a score. A date that disagrees by
// more than a year says most: it is hard evidence of another person.
const (
	fullDateBonus  = 0.10
	yearBonus      = 0.05
	datePenalty    = -0.20
	countryBonus   = 0.05
	countryPenalty = -0.05
	maxBonus       = fullDateBonus + countryBonus
)

// hit applies the date of birth and countries to an entry's best name match, and returns
// the hit if the score reaches the threshold.
func (ix *Index) hit(s Subject, e int32, m nameMatch, threshold float64) (kyc.ScreeningHit, bool) {
	ie := &ix.entries[e]
	nm := &ix.names[m.name]
	field, matchedName := "name", ie.entry.Name
	if nm.alias {
		field, matchedName = "alias", ix.aliasText(ie.entry, m.name)
	}
	fields := []kyc.MatchField{{Field: field, Effect: round(m.score),
		Detail: fmt.Sprintf("%d of %d words of %q", m.words, len(nm.words), matchedName)}}
	score := m.score
	for _, f := range []*kyc.MatchField{birthField(s.DateOfBirth, ie.entry.Births), countryField(s.Countries, ie.entry.Countries)} {
		if f != nil {
			score += f.Effect
			fields = append(fields, *f)
		}
	}
	score = round(min(1, max(0, score)))
	if score < threshold {
		return kyc.ScreeningHit{}, false
	}
	list := ix.lists[ie.list]
	return kyc.ScreeningHit{List: list.Source, SnapshotID: list.ID, SnapshotVersion: list.Version, Entry: ie.entry,
		Role: s.Role, MatchedName: matchedName, Score: score, Fields: fields}, true
}

// aliasText finds the text of an alias from its name id: the entry's names are indexed in
// order, name first, so the alias is the one at the same distance from the first.
func (ix *Index) aliasText(e Entry, name int32) string {
	first := name
	for first > 0 && ix.names[first-1].entry == ix.names[name].entry {
		first--
	}
	i := int(name - first - 1)
	if ix.names[first].alias { // the primary name normalised to nothing and was not indexed
		i++
	}
	if i >= 0 && i < len(e.Aliases) {
		return e.Aliases[i]
	}
	return e.Name
}

// birthField compares a subject's date of birth with an entry's: a full date equal, or the
// same year, raises the score; every listed date more than a year away lowers it.
func birthField(dob Date, listed []Date) *kyc.MatchField {
	if dob == "" || len(listed) == 0 {
		return nil
	}
	closest := listed[0]
	for _, d := range listed {
		if dob.Full() && d == dob {
			return &kyc.MatchField{Field: "dateOfBirth", Effect: fullDateBonus, Detail: "listed date of birth " + string(d)}
		}
		if abs(d.Year()-dob.Year()) < abs(closest.Year()-dob.Year()) {
			closest = d
		}
	}
	switch diff := abs(closest.Year() - dob.Year()); {
	case diff == 0:
		return &kyc.MatchField{Field: "dateOfBirth", Effect: yearBonus, Detail: "listed year of birth " + string(closest[:4])}
	case diff > 1:
		return &kyc.MatchField{Field: "dateOfBirth", Effect: datePenalty, Detail: "listed date of birth " + string(closest) + " differs"}
	}
	return nil
}

// countryField compares the subject's countries with the entry's: a shared one raises the
// score a little, none shared lowers it a little (addresses and nationalities change).
func countryField(subject, listed []string) *kyc.MatchField {
	if len(subject) == 0 || len(listed) == 0 {
		return nil
	}
	for _, c := range subject[:min(len(subject), maxSubjectCountries)] {
		if slices.Contains(listed, c) {
			return &kyc.MatchField{Field: "country", Effect: countryBonus, Detail: "listed country " + c}
		}
	}
	return &kyc.MatchField{Field: "country", Effect: countryPenalty, Detail: "listed countries " + strings.Join(listed, ", ")}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// round keeps three decimals, so that scores read and compare the same everywhere.
func round(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }
