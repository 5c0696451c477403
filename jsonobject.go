package kyc

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The bounds of a request body besides its size (1 MiB, see the server). The largest
// object any schema declares has 33 members and the longest array 50 entries; the
// largest valid body (a business with 50 directors, 50 owners and 20 intermediaries)
// holds about 3,000 values. A hostile body of ~90,000 unknown members, or of half a
// million numbers in nested arrays, is refused after a few thousand tokens instead of
// being read whole into a tree of tens of megabytes and validated member by member.
const (
	// maxDepth bounds the nesting. A profile nests three levels deep; the bound keeps a
	// body of a million "[" from exhausting the stack of the recursive reader below.
	maxDepth = 32
	// MaxMembers bounds the members of one object.
	MaxMembers = 256
	// MaxElements bounds the entries of one array.
	MaxElements = 1000
	// MaxValues bounds the values of the whole body (strings, numbers, booleans, nulls,
	// objects and arrays).
	MaxValues = 10000
)

// DecodeObject parses a request body as exactly one JSON object. Errors are *Error (XFE12,
// HTTP 400): malformed JSON (with the byte offset; the body is never echoed), text that is
// not UTF-8, data after the object, a top level that is not an object, a body beyond the
// bounds above, and duplicate member names at any depth (named by their path, e.g.
// `address.city`). encoding/json would keep the last of two duplicates silently, so that
// what we validate could differ from what another parser of the same signed body reads;
// the body is therefore read token by token. Numbers are kept as json.Number. Values are
// string, json.Number, bool, nil, []any and map[string]any.
func DecodeObject(body []byte) (map[string]any, error) {
	if err := checkUnicode(body); err != nil {
		return nil, err
	}
	rd := &reader{dec: json.NewDecoder(bytes.NewReader(body))}
	rd.dec.UseNumber()
	tok, err := rd.dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, BadInput("The request body is empty: expected a JSON object")
	}
	if err != nil {
		return nil, malformed(rd.dec, err)
	}
	if tok != json.Delim('{') {
		return nil, BadInput("The request body must be a JSON object, not %s", jsonKind(tok))
	}
	obj, err := rd.object("", 1)
	if err != nil {
		return nil, err
	}
	end := rd.dec.InputOffset()
	if rest := bytes.TrimLeft(body[end:], " \t\r\n"); len(rest) > 0 {
		return nil, BadInput("Trailing data after the JSON object at byte offset %d", len(body)-len(rest))
	}
	return obj, nil
}

// checkUnicode refuses a body that is not UTF-8, and \u escapes that name half of a
// UTF-16 surrogate pair: encoding/json would turn either into U+FFFD without a word, and
// a name stored with a replacement character is not the name that was sent.
func checkUnicode(body []byte) error {
	if !utf8.Valid(body) {
		return BadInput("The request body must be UTF-8: invalid byte sequence at byte offset %d", invalidUTF8At(body))
	}
	// Outside its strings valid JSON has no backslash, so each one starts an escape.
	for i := bytes.IndexByte(body, '\\'); i >= 0 && i+1 < len(body); {
		n := 2 // \n, \", \\ …
		if body[i+1] == 'u' {
			var ok bool
			if n, ok = unicodeEscape(body[i:]); !ok {
				return BadInput("The request body must be UTF-8: the escape at byte offset %d is half of a surrogate pair", i)
			}
		}
		next := bytes.IndexByte(body[min(i+n, len(body)):], '\\')
		if next < 0 {
			break
		}
		i += n + next
	}
	return nil
}

// unicodeEscape reads the \uXXXX escape at the start of b, and the low surrogate that
// must follow a high one. It returns the bytes read and whether they name a character.
// A malformed escape is left to the JSON decoder.
func unicodeEscape(b []byte) (int, bool) {
	r := hex4(b[2:])
	switch {
	case !utf16.IsSurrogate(r):
		return 6, true
	case r >= 0xdc00: // a low surrogate first
		return 6, false
	case len(b) >= 12 && b[6] == '\\' && b[7] == 'u':
		lo := hex4(b[8:])
		return 12, lo >= 0xdc00 && lo <= 0xdfff
	}
	return 6, false
}

// hex4 reads four hexadecimal digits, or returns -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 16)
	if err != nil {
		return -1
	}
	return rune(n)
}

// invalidUTF8At is the offset of the first byte of body that is not UTF-8.
func invalidUTF8At(body []byte) int {
	for i := 0; i < len(body); {
		r, n := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(body)
}

// reader reads the values of one body, counting them against MaxValues.
type reader struct {
	dec    *json.Decoder
	values int
}

func (rd *reader) value(path string, depth int) (any, error) {
	if rd.values++; rd.values > MaxValues {
		return nil, BadInput("The JSON body holds more than %d values", MaxValues)
	}
	tok, err := rd.dec.Token()
	if err != nil {
		return nil, malformed(rd.dec, err)
	}
	delim, ok := tok.(json.Delim)
	switch {
	case !ok:
		return tok, nil
	case depth >= maxDepth:
		return nil, BadInput("The JSON body nests deeper than %d levels", maxDepth)
	case delim == '{':
		return rd.object(path, depth+1)
	default: // '[': Token reports a stray '}' or ']' as a syntax error
		return rd.array(path, depth+1)
	}
}

// object reads the members of an object whose '{' has been read.
func (rd *reader) object(path string, depth int) (map[string]any, error) {
	obj := map[string]any{}
	for rd.dec.More() {
		if len(obj) == MaxMembers {
			return nil, BadInput("%s has more than %d members", objectName(path), MaxMembers)
		}
		tok, err := rd.dec.Token()
		if err != nil {
			return nil, malformed(rd.dec, err)
		}
		key, _ := tok.(string) // Token only returns a string in key position
		at := joinPath(path, key)
		if _, dup := obj[key]; dup {
			return nil, BadInput("Duplicate field `%s` in the JSON body", echo(at))
		}
		if obj[key], err = rd.value(at, depth); err != nil {
			return nil, err
		}
	}
	return obj, closeDelim(rd.dec)
}

// array reads the elements of an array whose '[' has been read.
func (rd *reader) array(path string, depth int) ([]any, error) {
	arr := []any{}
	for i := 0; rd.dec.More(); i++ {
		if i == MaxElements {
			return nil, BadInput("`%s` has more than %d entries", echo(path), MaxElements)
		}
		v, err := rd.value(indexPath(path, i), depth)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
	}
	return arr, closeDelim(rd.dec)
}

func objectName(path string) string {
	if path == "" {
		return "The JSON body"
	}
	return "`" + echo(path) + "`"
}

func closeDelim(dec *json.Decoder) error {
	if _, err := dec.Token(); err != nil {
		return malformed(dec, err)
	}
	return nil
}

// malformed reports a syntax error by its byte offset only: the decoder's own message
// quotes the offending character, and the body may hold personal data.
func malformed(dec *json.Decoder, err error) *Error {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return BadInput("Malformed JSON at byte offset %d", syntax.Offset)
	}
	return BadInput("Malformed JSON: the body ends at byte offset %d before the JSON object is complete", dec.InputOffset())
}

func jsonKind(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func indexPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}
