package kyc_test

import (
	"errors"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
)

// departures are the rows whose status or shape differs from what StraitsX publishes for
// their code (§8 and the errors[] shape for STXE codes, §4.3's "all HTTP 400" and the flat
// shape for XFE codes), each with its reason. The test fails when a row departs without
// being listed, when a listed row no longer departs, and when README.md or COMPATIBILITY.md
// has no line naming the row's status and code.
var departures = map[*kyc.ErrorKind]string{
	kyc.ErrDuplicate:             "the contract documents XFE16 but no status; 409 is what it is",
	kyc.ErrVersionMismatch:       "If-Match is ours; a precondition failure is 412",
	kyc.ErrUnsupportedMediaType:  "not documented; 415 is what it is",
	kyc.ErrBodyTooLarge:          "not documented; 413 is what it is",
	kyc.ErrInternal:              "XFE3 has no published status; an internal failure is 500",
	kyc.ErrMethodNotAllowed:      "not documented; 405 with Allow is what HTTP says",
	kyc.ErrUnavailable:           "503 (retry) rather than 500: the request was fine and will pass later",
	kyc.ErrRFIProfileNotFound:    "the RFI endpoints' published 404, in their errors[] shape (§4.2)",
	kyc.ErrInvalidListed:         "the limits-update request's published example is in the errors[] shape (§4.2)",
	kyc.ErrMissingListed:         "the limits-update request's published example is in the errors[] shape (§4.2)",
	kyc.ErrInvalidEventType:      "the resend-by-type endpoint's published answers are flat",
	kyc.ErrEventRecordNotFound:   "the resend-by-type endpoint's published answers are flat",
	kyc.ErrResendTooSoon:         "the resend-by-type endpoint's published answers are flat",
	kyc.ErrIdempotencyInFlight:   "the draft's 409 for a key whose first request is in flight (STXE-7000's other published status)",
	kyc.ErrIdempotencyAnswerLost: "409 as for a key in flight: the key's state, not the request, is at fault",
}

// TestCatalogueMatchesPublishedTables holds every row of the catalogue to StraitsX's error
// tables (testdata/spec-errors.md, copied from the spec).
func TestCatalogueMatchesPublishedTables(t *testing.T) {
	tables := readTables(t, "testdata/spec-errors.md")
	for _, section := range []string{"§2.2", "§4.3", "§8"} {
		if len(tables[section]) == 0 {
			t.Fatalf("no rows read from the %s table", section)
		}
	}
	classes := map[string]int{} // §8: STXE code (STXE-8XXX: any STXE-8…) → status on the errors page
	for _, row := range tables["§8"] {
		classes[strings.TrimRight(unquote(row[0]), "X")] = leadingInt(t, row[1])
	}
	for _, row := range tables["§2.2"] {
		t.Run("§2.2 "+row[0], func(t *testing.T) { checkSigningRow(t, row) })
	}
	for _, row := range tables["§4.3"] {
		t.Run("§4.3 "+row[0], func(t *testing.T) { checkCreateRow(t, row) })
	}
	docs := readFile(t, "README.md") + readFile(t, "COMPATIBILITY.md")
	for _, k := range kyc.ErrorKinds() {
		t.Run(k.Code+" "+k.Message, func(t *testing.T) { checkRow(t, k, classes, docs) })
	}
}

// checkRow checks a row's shape and status against the code's published class.
func checkRow(t *testing.T, k *kyc.ErrorKind, classes map[string]int, docs string) {
	shape, status := publishedClass(t, k.Code, classes)
	if k.Handling == "" {
		t.Errorf("no error_handling text")
	}
	reason, listed := departures[k]
	switch departs := k.Status != status || k.Shape != shape; {
	case departs && !listed:
		t.Errorf("%d in %s, published %d in %s: fix the row or list it in departures", k.Status, k.Shape, status, shape)
	case !departs && listed:
		t.Errorf("listed as a departure (%s) but is as published", reason)
	case departs && !documents(docs, k.Status, k.Code):
		t.Errorf("departs with %d %s, but no line of README.md or COMPATIBILITY.md says so", k.Status, k.Code)
	}
}

const http400 = 400

// publishedClass is the shape and status StraitsX publishes for a code's class.
func publishedClass(t *testing.T, code string, classes map[string]int) (kyc.Shape, int) {
	t.Helper()
	if regexp.MustCompile(`^XFE\d+$`).MatchString(code) {
		return kyc.ShapeFlat, http400
	}
	for class, status := range classes {
		if strings.HasPrefix(code, class) && len(code) == len("STXE-0000") {
			return kyc.ShapeErrors, status
		}
	}
	t.Fatalf("%s is neither an XFE code nor in a published STXE class", code)
	return "", 0
}

// checkSigningRow: every message of the signing table is a row with its code and status.
func checkSigningRow(t *testing.T, row []string) {
	var found int
	for _, k := range kyc.ErrorKinds() {
		if k.Message != row[0] {
			continue
		}
		found++
		got := []any{k.Code, k.Status, k.Shape}
		want := []any{unquote(row[1]), leadingInt(t, row[2]), kyc.ShapeErrors}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("code, status, shape (-published +catalogue):\n%s", diff)
		}
	}
	if found == 0 {
		t.Errorf("no row of the catalogue has the message %q", row[0])
	}
}

// checkCreateRow: a validation problem with the published code is answered with the
// published status, code, handling and flat shape; a missing field with the published message.
func checkCreateRow(t *testing.T, row []string) {
	message, code := unquote(row[1]), unquote(row[2])
	var problem kyc.FieldError
	switch code {
	case kyc.CodeMissing:
		problem = kyc.Missing(strings.TrimSuffix(message, " is missing"))
	case kyc.CodeInvalid:
		problem = kyc.Invalid("field", "%s", message)
	default:
		t.Fatalf("no validation problem has the code %s", code)
	}
	e := kyc.Validation([]kyc.FieldError{problem})
	got := []any{e.Status, e.Code, e.Message, e.Handling, e.Shape}
	want := []any{http400, code, message, unquote(row[3]), kyc.ShapeFlat}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("status, code, message, handling, shape (-published +catalogue):\n%s", diff)
	}
}

// documents reports whether one line of docs names both the status and the code.
func documents(docs string, status int, code string) bool {
	for line := range strings.SplitSeq(docs, "\n") {
		if strings.Contains(line, code) && regexp.MustCompile(`\b`+strconv.Itoa(status)+`\b`).MatchString(line) {
			return true
		}
	}
	return false
}

// TestSpecTablesCopied keeps testdata/spec-errors.md identical to the spec's tables, when
// the spec is beside the repository (as in a session's work tree and in CI).
func TestSpecTablesCopied(t *testing.T) {
	spec, err := os.ReadFile("../shared/spec/straitsx-cp-plus.md")
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("../shared/spec/straitsx-cp-plus.md is not beside the repository")
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range tableBlocks(readFile(t, "testdata/spec-errors.md")) {
		if !strings.Contains(string(spec), "\n"+table+"\n") {
			t.Errorf("this table is not in the spec as copied:\n%s", table)
		}
	}
}

// TestEveryKindIsASentinel: errors.Is recognises an occurrence of a row, and only of it.
func TestEveryKindIsASentinel(t *testing.T) {
	kinds := kyc.ErrorKinds()
	for i, k := range kinds {
		err := error(k.Newf("an occurrence"))
		for j, other := range kinds {
			if got := errors.Is(err, other); got != (i == j) {
				t.Errorf("errors.Is(%s %q, row %d) = %v", k.Code, k.Message, j, got)
			}
		}
	}
	if errors.Is(kyc.ParseError(404, []byte(`{"errors":[{"error":"Public Key Not Found","error_code":"STXE-5000"}]}`)),
		kyc.ErrPublicKeyNotFound) {
		t.Error("an error rebuilt from a response names no row, yet matched one")
	}
}

// readTables reads the tables of a markdown file, keyed by the first word of the heading
// above each ("§2.2"), as rows of cells without the header and separator lines.
func readTables(t *testing.T, path string) map[string][][]string {
	tables := map[string][][]string{}
	var key string
	lines := strings.Split(readFile(t, path), "\n")
	for i, line := range lines {
		if title, ok := strings.CutPrefix(line, "## "); ok {
			key = strings.Fields(title)[0]
			continue
		}
		header := i+1 < len(lines) && strings.HasPrefix(lines[i+1], "|---")
		if !strings.HasPrefix(line, "|") || strings.HasPrefix(line, "|---") || header {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		tables[key] = append(tables[key], cells)
	}
	return tables
}

// tableBlocks returns each run of table lines in a markdown text.
func tableBlocks(text string) []string {
	var blocks []string
	var cur []string
	for line := range strings.SplitSeq(text+"\n", "\n") {
		if strings.HasPrefix(line, "|") {
			cur = append(cur, line)
			continue
		}
		if len(cur) > 0 {
			blocks = append(blocks, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	return blocks
}

// unquote returns the text of a cell's first code span (`x` or “x“), or the cell as it is.
func unquote(cell string) string {
	for _, fence := range []string{"``", "`"} {
		if rest, ok := strings.CutPrefix(cell, fence); ok {
			if text, _, ok := strings.Cut(rest, fence); ok {
				return text
			}
		}
	}
	return cell
}

func leadingInt(t *testing.T, cell string) int {
	t.Helper()
	n, err := strconv.Atoi(regexp.MustCompile(`^\d+`).FindString(cell))
	if err != nil {
		t.Fatalf("cell %q does not start with a status", cell)
	}
	return n
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
