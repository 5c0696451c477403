package screening

import (
	"strings"

	"github.com/mozillazg/go-unidecode"
)

// tokenClass says how much a word can tell about who is named.
type tokenClass uint8

const (
	plainToken    tokenClass = iota
	particleToken            // AL, BIN, VAN, DE…: part of many names, says little
	legalToken               // LTD, CORP, S.A.…: says only that a company is named
)

// honorifics are titles dropped from names before matching.
var honorifics = wordSet("MR MRS MS MISS MME DR PROF SIR DAME HAJI HAJJI HADJI ALHAJI SHEIKH SHAYKH SHAIKH " +
	"SHEIKHA MAULANA MAWLAWI MAULAVI MULLAH MULLA SAYYID SAYED SYED HRH")

// particles join name parts in many languages; legalForms and organisationWords are the
// words company names share. They weigh little, so that "X TRADING LTD" and "Y TRADING LTD"
// never match on what they share.
var (
	particles = wordSet("AL EL ALS BIN BEN IBN BINT ABU UMM ABD DE DA DI DO DEL DELLA DOS DAS DU VAN VON DER DEN " +
		"LA LE Y E AND OF THE FOR ET UND")
	legalForms = wordSet("LTD LIMITED CO COMPANY CORP CORPORATION INC INCORPORATED LLC LLP LP PLC SA SAS SARL SRL " +
		"SPA SPRL GMBH AG KG BV NV OOO OAO ZAO PAO AO PJSC JSC OJSC CJSC PTE PT TBK BHD SDN AB AS OY KK LTDA CIA " +
		"SCA SL SE EIRL FZE FZCO FZC DMCC EST ESTABLISHMENT")
	organisationWords = wordSet("TRADING TRADE GROUP INTERNATIONAL INTL HOLDING HOLDINGS ENTERPRISE ENTERPRISES " +
		"INDUSTRIAL INDUSTRIES INDUSTRY SERVICES SERVICE GENERAL IMPORT EXPORT IMP EXP COMMERCIAL " +
		"INVESTMENT INVESTMENTS GLOBAL PARTNERS ASSOCIATES SHIPPING LOGISTICS")
)

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// classOf returns a word's class.
func classOf(w string) tokenClass {
	switch {
	case legalForms[w] || organisationWords[w]:
		return legalToken
	case particles[w]:
		return particleToken
	}
	return plainToken
}

// maxNameTokens bounds the words of one name that are compared; names longer than that are
// rare (long company names) and their first words carry them.
const maxNameTokens = 12

// normalize turns a name into its words for matching: every script transliterated to
// ASCII (go-unidecode: Cyrillic, Arabic, Chinese, diacritics), upper case, apostrophes and
// dots dropped inside words (O'BRIEN → OBRIEN, S.A. → SA), every other punctuation a word
// break, honorifics removed. Word order is kept, but the matcher ignores it.
func normalize(name string) []string {
	if len(name) > MaxNameBytes {
		name = name[:MaxNameBytes]
	}
	ascii := strings.ToUpper(unidecode.Unidecode(name))
	var b strings.Builder
	for i := 0; i < len(ascii); i++ {
		switch c := ascii[i]; {
		case c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == '\'' || c == '`' || c == '.':
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	out := words[:0]
	for _, w := range words {
		if !honorifics[w] && len(out) < maxNameTokens {
			out = append(out, w)
		}
	}
	return out
}

// skeleton is a rough phonetic key: the consonants of a word, with the spellings that
// transliterations disagree on folded together (MOHAMMED, MUHAMMAD and MOHAMAD are all
// MHMD; YEVGENIY and EVGENI are all FGN… after the first letter's vowel is dropped).
func skeleton(w string) string {
	var b strings.Builder
	var last byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch c {
		case 'A', 'E', 'I', 'O', 'U', 'Y', 'H', 'W':
			continue
		case 'Q', 'C':
			c = 'K'
		case 'Z':
			c = 'S'
		case 'V':
			c = 'F'
		case 'J':
			c = 'G'
		case 'P':
			if i+1 < len(w) && w[i+1] == 'H' {
				c = 'F'
			}
		}
		if c != last {
			b.WriteByte(c)
		}
		last = c
	}
	return b.String()
}
