package console

// SectionOf reports whether a top-level field is placed in one of topSections.
func SectionOf(name string) bool {
	for _, s := range topSections {
		for _, n := range s.names {
			if n == name {
				return true
			}
		}
	}
	return false
}
