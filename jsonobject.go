package kyc

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
)

// maxDepth bounds the nesting of a request body. A profile nests three levels deep; the
// bound keeps a hostile body of a million "[" from exhausting the stack of the recursive
// reader below.
const maxDepth = 32

// DecodeObject parses a request body as exactly one JSON object. Errors are *Error (XFE12,
// HTTP 400): malformed JSON (with the byte offset; the body is never echoed), data after
// the object, a top level that is not an object, and duplicate member names at any depth
// (named by their path, e.g. `address.city`). encoding/json would keep the last of two
// duplicates silently, so that what we validate could differ from what another parser of
// the same signed body reads; the body is therefore read token by token. Numbers are kept
// as json.Number. Values are string, json.Number, bool, nil, []any and map[string]any.
func DecodeObject(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, BadInput("The request body is empty: expected a JSON object")
	}
	if err != nil {
		return nil, malformed(dec, err)
	}
	if tok != json.Delim('{') {
		return nil, BadInput("The request body must be a JSON object, not %s", jsonKind(tok))
	}
	obj, err := readObject(dec, "", 1)
	if err != nil {
		return nil, err
	}
	end := dec.InputOffset()
	if rest := bytes.TrimLeft(body[end:], " \t\r\n"); len(rest) > 0 {
		return nil, BadInput("Trailing data after the JSON object at byte offset %d", len(body)-len(rest))
	}
	return obj, nil
}

func readValue(dec *json.Decoder, path string, depth int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, malformed(dec, err)
	}
	delim, ok := tok.(json.Delim)
	switch {
	case !ok:
		return tok, nil
	case depth >= maxDepth:
		return nil, BadInput("The JSON body nests deeper than %d levels", maxDepth)
	case delim == '{':
		return readObject(dec, path, depth+1)
	default: // '[': Token reports a stray '}' or ']' as a syntax error
		return readArray(dec, path, depth+1)
	}
}

// readObject reads the members of an object whose '{' has been read.
func readObject(dec *json.Decoder, path string, depth int) (map[string]any, error) {
	obj := map[string]any{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, malformed(dec, err)
		}
		key, _ := tok.(string) // Token only returns a string in key position
		at := joinPath(path, key)
		if _, dup := obj[key]; dup {
			return nil, BadInput("Duplicate field `%s` in the JSON body", echo(at))
		}
		if obj[key], err = readValue(dec, at, depth); err != nil {
			return nil, err
		}
	}
	return obj, closeDelim(dec)
}

// readArray reads the elements of an array whose '[' has been read.
func readArray(dec *json.Decoder, path string, depth int) ([]any, error) {
	arr := []any{}
	for i := 0; dec.More(); i++ {
		v, err := readValue(dec, indexPath(path, i), depth)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
	}
	return arr, closeDelim(dec)
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
