package screening

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// OFACFiles are the readers of the SDN CSV set; only SDN is required. They are hashed in
// this order into the snapshot's SHA-256.
type OFACFiles struct {
	SDN      io.Reader // sdn.csv: the primary records
	Alt      io.Reader // alt.csv: aliases (aka, fka, nka)
	Add      io.Reader // add.csv: addresses, of which the country is kept
	Comments io.Reader // sdn_comments.csv: remarks that overflowed sdn.csv's remarks field
}

// ParseOFAC reads the SDN CSV set (no header row; "-0-" means empty; fields as described at
// https://ofac.treasury.gov/sdn-list-data-formats-data-schemas). Dates of birth and
// nationalities are read from the remarks; the weak "a.k.a." names in the remarks are not
// kept, as OFAC itself does not expect them to be screened. The legacy CSV states no
// publication date.
func ParseOFAC(files OFACFiles) (*List, error) {
	if files.SDN == nil {
		return nil, fmt.Errorf("ofac: sdn.csv is required")
	}
	h := newHash()
	p := &ofacParser{byRef: map[string]int{}, remarks: map[string]string{}}
	steps := []struct {
		name   string
		r      io.Reader
		fields int
		read   func(*csvFile) error
	}{
		{"sdn.csv", files.SDN, 12, p.readSDN},
		{"alt.csv", files.Alt, 5, p.readAlt},
		{"add.csv", files.Add, 6, p.readAdd},
		{"sdn_comments.csv", files.Comments, 2, p.readComments},
	}
	for _, s := range steps {
		if s.r == nil {
			continue
		}
		f, err := openCSV(s.name, s.r, h, s.fields)
		if err != nil {
			return nil, err
		}
		if err := s.read(f); err != nil {
			return nil, err
		}
	}
	p.applyRemarks()
	return &List{Source: OFAC, SHA256: hexSum(h), Entries: p.entries}, nil
}

type ofacParser struct {
	entries []Entry
	byRef   map[string]int    // ent_num → index in entries
	remarks map[string]string // ent_num → remarks, overflow appended
}

// ofacField cleans one field: "-0-" (with or without padding) is empty.
func ofacField(s string) string {
	s = strings.TrimSpace(s)
	if s == "-0-" {
		return ""
	}
	return s
}

var ofacKinds = map[string]Kind{"": Organisation, "individual": Person, "vessel": Vessel, "aircraft": Aircraft}

func (p *ofacParser) readSDN(f *csvFile) error {
	return eachRecord(f, func(rec []string) error {
		ref, err := ofacRef(f, rec[0])
		if err != nil {
			return err
		}
		if _, dup := p.byRef[ref]; dup {
			return f.errorf("entry %s appears twice", ref)
		}
		kind, ok := ofacKinds[ofacField(rec[2])]
		if !ok {
			return f.errorf("entry %s: unknown SDN type %q", ref, ofacField(rec[2]))
		}
		name, err := checkName(f, ofacField(rec[1]))
		if err != nil {
			return err
		}
		if len(p.entries) == MaxEntries {
			return f.errorf("more than %d entries", MaxEntries)
		}
		p.byRef[ref] = len(p.entries)
		p.remarks[ref] = ofacField(rec[11])
		p.entries = append(p.entries, Entry{Ref: ref, Kind: kind, Name: name, Programs: ofacPrograms(rec[3])})
		return nil
	})
}

// ofacPrograms splits "SDGT] [IRGC": the file joins several programmes with "] [".
func ofacPrograms(s string) []string {
	if s = ofacField(s); s == "" {
		return nil
	}
	return strings.Split(s, "] [")
}

func (p *ofacParser) readAlt(f *csvFile) error {
	return p.eachEntry(f, func(e *Entry, rec []string) error {
		name, err := checkName(f, ofacField(rec[3]))
		if err != nil {
			return err
		}
		if len(e.Aliases) == MaxAliases {
			return f.errorf("entry %s has more than %d aliases", e.Ref, MaxAliases)
		}
		e.Aliases = append(e.Aliases, name)
		return nil
	})
}

func (p *ofacParser) readAdd(f *csvFile) error {
	return p.eachEntry(f, func(e *Entry, rec []string) error {
		e.Countries = addCountry(e.Countries, ofacField(rec[4]))
		return nil
	})
}

func (p *ofacParser) readComments(f *csvFile) error {
	return p.eachEntry(f, func(e *Entry, rec []string) error {
		p.remarks[e.Ref] += ofacField(rec[1])
		return nil
	})
}

// applyRemarks reads dates of birth and nationalities out of each entry's whole remarks.
func (p *ofacParser) applyRemarks() {
	for i := range p.entries {
		e := &p.entries[i]
		e.Births, e.Countries = readRemarks(p.remarks[e.Ref], e.Countries)
	}
}

// eachEntry calls fn for every record of a secondary file with the SDN entry it refers to.
func (p *ofacParser) eachEntry(f *csvFile, fn func(*Entry, []string) error) error {
	return eachRecord(f, func(rec []string) error {
		e, err := p.entry(f, rec[0])
		if err != nil {
			return err
		}
		return fn(e, rec)
	})
}

// entry returns the SDN entry a secondary file's record refers to.
func (p *ofacParser) entry(f *csvFile, field string) (*Entry, error) {
	ref, err := ofacRef(f, field)
	if err != nil {
		return nil, err
	}
	i, ok := p.byRef[ref]
	if !ok {
		return nil, f.errorf("entry %s is not in sdn.csv", ref)
	}
	return &p.entries[i], nil
}

func ofacRef(f *csvFile, field string) (string, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(field), 10, 32)
	if err != nil || n == 0 {
		return "", f.errorf("ent_num %q is not a positive number", field)
	}
	return strconv.FormatUint(n, 10), nil
}

// checkName refuses an empty or oversized name.
func checkName(f *csvFile, name string) (string, error) {
	switch {
	case name == "":
		return "", f.errorf("empty name")
	case len(name) > MaxNameBytes:
		return "", f.errorf("name longer than %d bytes", MaxNameBytes)
	}
	return name, nil
}

// eachRecord calls fn for every record of f until the end or the first error.
func eachRecord(f *csvFile, fn func([]string) error) error {
	for {
		rec, err := f.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}
