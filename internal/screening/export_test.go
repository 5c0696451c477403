package screening

import "strings"

// SetFileLimit lowers the bound on a file's size for a test and returns what restores it.
func SetFileLimit(n int64) (restore func()) {
	old := fileLimit
	fileLimit = n
	return func() { fileLimit = old }
}

// CompanyWord reports whether w (upper case, no dots) is a legal form or a trade word.
func CompanyWord(w string) bool { return classOf(strings.ReplaceAll(w, ".", "")) == legalToken }
