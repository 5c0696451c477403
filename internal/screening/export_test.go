package screening

// SetFileLimit lowers the bound on a file's size for a test and returns what restores it.
func SetFileLimit(n int64) (restore func()) {
	old := fileLimit
	fileLimit = n
	return func() { fileLimit = old }
}
