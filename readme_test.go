//go:build unix

package kyc_test

// The README's examples are run, so that they cannot rot. The convention, also stated in a
// comment at the top of README.md:
//
//   - Every ```sh block runs, in the order of the file, in one bash session (set -eo pipefail),
//     so that a variable set by one block is there for the next. The session starts in an
//     empty temporary directory, with `kyc` built from this repository first on PATH, HOME in
//     that directory, KYC_ADDR set to a free port and every "127.0.0.1:8080" in the blocks
//     replaced by it, and KYC_ADMIN_ADDR (the admin listener's) set to another free port. No other KYC_ variable of the caller's environment is passed on.
//   - A ```text block that follows a ```sh block, with only blank lines between, is the
//     output that block must print (stdout and stderr together, trailing blanks ignored).
//     "…" stands for any text within a line; a line holding only "…" for any number of lines.
//   - Other blocks (```console, ```json, ```go, plain ```) are not run.
//   - A failure names the block's first line in README.md.
//
// Whatever the README starts in the background (the tour's server) is in the session's
// process group, which is stopped when the test ends.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"
)

// readmeBlock is one fenced block of README.md.
type readmeBlock struct {
	line int    // the line of its first content line, counted from 1
	info string // the fence's info string: sh, text, go…
	body string
	end  int          // the index of its closing fence in the file's lines
	want *readmeBlock // for a sh block, the text block holding its output
}

func TestREADME(t *testing.T) {
	requireTools(t, "bash", "curl", "jq")
	src, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := shellBlocks(parseBlocks(string(src)))
	if len(blocks) == 0 {
		t.Fatal("README.md has no sh block")
	}
	dir := t.TempDir()
	buildKyc(t, filepath.Join(dir, "bin"))
	port := freePort(t)
	script := writeBlocks(t, dir, blocks, port)
	failed, err := runSession(t, dir, script, port)
	for _, b := range blocks {
		checkOutput(t, dir, b, port)
		if b.line == failed {
			t.Fatalf("README.md:%d: this block failed (%v); its output is above", b.line, err)
		}
	}
	if err != nil {
		t.Fatalf("the README's session failed: %v", err)
	}
}

// requireTools skips the test when a tool the README uses is missing, unless
// KYC_TEST_README=require (as CI sets it), where a skip would hide a rotten README.
func requireTools(t *testing.T, tools ...string) {
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("KYC_TEST_README") == "require" {
				t.Fatalf("the README's examples need %s: %v", tool, err)
			}
			t.Skipf("the README's examples need %s, which is not installed", tool)
		}
	}
}

var fence = regexp.MustCompile("^( *)```(\\S*)\\s*$")

// parseBlocks returns README.md's fenced blocks, indented ones (in lists) included.
func parseBlocks(src string) []*readmeBlock {
	lines := strings.Split(src, "\n")
	var blocks []*readmeBlock
	for i := 0; i < len(lines); i++ {
		m := fence.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		b := &readmeBlock{line: i + 2, info: m[2]}
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, strings.TrimPrefix(lines[i], m[1]))
		}
		b.body, b.end = strings.Join(body, "\n"), i
		if n := len(blocks); n > 0 && b.info == "text" && blocks[n-1].info == "sh" &&
			onlyBlank(lines[blocks[n-1].end+1:b.line-2]) {
			blocks[n-1].want = b
		}
		blocks = append(blocks, b)
	}
	return blocks
}

func onlyBlank(lines []string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			return false
		}
	}
	return true
}

func shellBlocks(all []*readmeBlock) []*readmeBlock {
	var sh []*readmeBlock
	for _, b := range all {
		if b.info == "sh" {
			sh = append(sh, b)
		}
	}
	return sh
}

// buildKyc builds ./cmd/kyc into bin, as `go install ./cmd/kyc` would.
func buildKyc(t *testing.T, bin string) {
	out, err := exec.Command("go", "build", "-o", filepath.Join(bin, "kyc"), "./cmd/kyc").CombinedOutput()
	if err != nil {
		t.Fatalf("go build ./cmd/kyc: %v\n%s", err, out)
	}
}

// freePort returns a port that was free a moment ago: the server binds it within seconds.
func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

func localize(s, port string) string {
	return strings.ReplaceAll(s, "127.0.0.1:8080", "127.0.0.1:"+port)
}

// writeBlocks writes each block to a file and the session script that sources them in
// turn, each with its output in a file of its own and its line recorded before it runs.
func writeBlocks(t *testing.T, dir string, blocks []*readmeBlock, port string) string {
	var s strings.Builder
	s.WriteString("set -eo pipefail\n")
	for _, b := range blocks {
		file := filepath.Join(dir, fmt.Sprintf("block-%d.sh", b.line))
		if err := os.WriteFile(file, []byte(localize(b.body, port)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&s, "echo %d >%q/current\nexec >%q 2>&1\n. %q\n", b.line, dir, outputFile(dir, b), file)
	}
	script := filepath.Join(dir, "session.sh")
	if err := os.WriteFile(script, []byte(s.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return script
}

func outputFile(dir string, b *readmeBlock) string {
	return filepath.Join(dir, fmt.Sprintf("block-%d.out", b.line))
}

// runSession runs the script in its own process group and stops the group afterwards,
// servers started in the background included. It returns the line of the block that
// failed (0 if none did).
func runSession(t *testing.T, dir, script, port string) (int, error) {
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(filepath.Join(work, "home"), 0o700); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Dir = work
	cmd.Env = sessionEnv(dir, work, port, freePort(t))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer stopGroup(t, cmd.Process.Pid)
	err := cmd.Wait()
	if err == nil {
		return 0, nil
	}
	line, _ := os.ReadFile(filepath.Join(dir, "current"))
	n, _ := strconv.Atoi(strings.TrimSpace(string(line)))
	if n == 0 || out.Len() > 0 {
		t.Logf("the session's own output:\n%s", out.String())
	}
	return n, err
}

// sessionEnv is the caller's environment without its KYC_ variables (a developer's KYC_DB
// must not leak in), with kyc first on PATH and HOME in the temporary directory.
func sessionEnv(dir, work, port, adminPort string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "KYC_") && name != "HOME" && name != "PATH" && name != "XDG_CONFIG_HOME" {
			env = append(env, kv)
		}
	}
	return append(env,
		"PATH="+filepath.Join(dir, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"),
		"HOME="+filepath.Join(work, "home"),
		"KYC_ADDR=127.0.0.1:"+port,
		"KYC_ADMIN_ADDR=127.0.0.1:"+adminPort)
}

// stopGroup ends every process of the group (SIGTERM, then SIGKILL after 10 s) and waits
// until none is left, so that no server still writes while the temporary directory goes.
func stopGroup(t *testing.T, pgid int) {
	signal := syscall.SIGTERM
	deadline := time.Now().Add(10 * time.Second)
	for syscall.Kill(-pgid, signal) == nil {
		if time.Now().After(deadline) {
			signal = syscall.SIGKILL
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkOutput compares a block's output with the text block that follows it, if any.
func checkOutput(t *testing.T, dir string, b *readmeBlock, port string) {
	got, err := os.ReadFile(outputFile(dir, b))
	if errors.Is(err, os.ErrNotExist) {
		return // not run: an earlier block failed
	}
	if err != nil {
		t.Fatal(err)
	}
	if b.want == nil {
		if len(got) > 0 {
			t.Logf("README.md:%d: output (not checked: no text block follows):\n%s", b.line, got)
		}
		return
	}
	if !outputMatches(localize(b.want.body, port), string(got)) {
		t.Errorf("README.md:%d: the block's output differs from the text block at README.md:%d\n--- got:\n%s\n--- want:\n%s",
			b.line, b.want.line, got, b.want.body)
	}
}

// outputMatches reports whether got matches want, in which "…" stands for any text within a
// line and a line of "…" alone for any number of lines. Trailing blanks are ignored.
func outputMatches(want, got string) bool {
	var re strings.Builder
	re.WriteString(`\A`)
	for _, line := range strings.Split(trimLines(want), "\n") {
		if strings.TrimSpace(line) == "…" {
			re.WriteString(`(?:[^\n]*\n)*?`)
			continue
		}
		parts := strings.Split(line, "…")
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		re.WriteString(strings.Join(parts, `[^\n]*`) + `\n`)
	}
	re.WriteString(`\z`)
	return regexp.MustCompile(re.String()).MatchString(trimLines(got) + "\n")
}

// trimLines drops trailing blanks of each line and blank lines at the end.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

func TestOutputMatches(t *testing.T) {
	for _, c := range []struct {
		want, got string
		match     bool
	}{
		{"a\nb", "a\nb\n\n", true},
		{"a\nb", "a\nc", false},
		{"a\nb", "a", false},
		{"a", "a\nb", false},
		{"id …!", "id 123!", true},
		{"id …!", "id 1\n2!", false},
		{"x…y…z", "x12y34z", true},
		{"first\n…\nlast", "first\nlast", true},
		{"first\n…\nlast", "first\n1\n2\nlast", true},
		{"first\n…\nlast", "first\n1\n2\nlost", false},
		{"a.b", "axb", false},
		{"    kyc_…", "    kyc_abc   ", true},
	} {
		if got := outputMatches(c.want, c.got); got != c.match {
			t.Errorf("outputMatches(%q, %q) = %v, want %v", c.want, c.got, got, c.match)
		}
	}
}

func TestParseBlocks(t *testing.T) {
	src := "# T\n```sh\necho hi\n```\n\n```text\nhi\n```\n\n- item\n  ```sh\n  echo x\n  ```\n  words\n  ```text\n  x\n  ```\n"
	b := parseBlocks(src)
	if len(b) != 4 {
		t.Fatalf("got %d blocks, want 4", len(b))
	}
	if b[0].line != 3 || b[0].body != "echo hi" || b[0].want != b[1] {
		t.Errorf("first block: line %d, body %q, want %v", b[0].line, b[0].body, b[0].want)
	}
	if b[2].line != 12 || b[2].body != "echo x" || b[2].want != nil {
		t.Errorf("indented block: line %d, body %q, want %v (prose between: no expected output)", b[2].line, b[2].body, b[2].want)
	}
}

// TestREADMEContents: every section (## heading) of the README is linked from its Contents,
// and every link there leads to a section, so that a section added later is not lost.
func TestREADMEContents(t *testing.T) {
	src, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	start, end := strings.Index(text, "\n## Contents\n"), strings.Index(text, "\n## The two commands\n")
	if start < 0 || end < start {
		t.Fatal("README.md has no Contents section before The two commands")
	}
	linked := map[string]bool{}
	for _, m := range regexp.MustCompile(`\]\(#([^)]+)\)`).FindAllStringSubmatch(text[start:end], -1) {
		linked[m[1]] = true
	}
	sections := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^## (.+)$`).FindAllStringSubmatch(text, -1) {
		if m[1] != "Contents" {
			sections[anchor(m[1])] = true
		}
	}
	for a := range sections {
		if !linked[a] {
			t.Errorf("README.md: the section #%s is missing from Contents", a)
		}
	}
	for a := range linked {
		if !sections[a] {
			t.Errorf("README.md: Contents links to #%s, which is no section", a)
		}
	}
}

// anchor is GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
