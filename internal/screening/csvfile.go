package screening

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"unicode/utf8"
)

// csvFile reads one CSV file of a list, whole (it is bounded by MaxFileBytes), and names
// the file and line of every error.
type csvFile struct {
	name string
	r    *csv.Reader
}

// openCSV reads r into memory through the snapshot's hash. OFAC's files end with a DOS
// end-of-file byte (0x1A) and older ones were Windows-1252: both are handled here, so the
// CSV reader sees plain UTF-8. fields is the number of fields every record must have.
func openCSV(name string, r io.Reader, h hash.Hash, fields int) (*csvFile, error) {
	b, err := io.ReadAll(newHashedReader(r, h, name))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	b = bytes.TrimRight(b, "\x1a\r\n")
	if !utf8.Valid(b) {
		b = latin1ToUTF8(b)
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = fields
	cr.ReuseRecord = true
	return &csvFile{name: name, r: cr}, nil
}

// next returns the next record, io.EOF at the end, or an error naming the line.
func (f *csvFile) next() ([]string, error) {
	rec, err := f.r.Read()
	if err == io.EOF {
		return nil, err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, fmt.Errorf("%s line %d: %v", f.name, pe.StartLine, pe.Err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.name, err)
	}
	for i, v := range rec {
		if len(v) > MaxFieldBytes {
			return nil, f.errorf("field %d is longer than %d bytes", i+1, MaxFieldBytes)
		}
	}
	return rec, nil
}

// errorf is an error about the record last read, with its line.
func (f *csvFile) errorf(format string, args ...any) error {
	line, _ := f.r.FieldPos(0)
	return fmt.Errorf("%s line %d: %s", f.name, line, fmt.Sprintf(format, args...))
}

// latin1ToUTF8 reads b as ISO 8859-1, whose bytes are the first 256 code points.
func latin1ToUTF8(b []byte) []byte {
	var out strings.Builder
	for _, c := range b {
		out.WriteRune(rune(c))
	}
	return []byte(out.String())
}
