package screening

// jaroWinkler is the Jaro-Winkler similarity of two ASCII words, in [0,1]. It is written
// here rather than taken from a library because it runs in the matcher's inner loop: on
// bytes, without allocating (words are at most 64 bytes; longer ones compare their start).
func jaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	if len(a) > 64 {
		a = a[:64]
	}
	if len(b) > 64 {
		b = b[:64]
	}
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	window := max(len(a), len(b))/2 - 1
	window = max(window, 0)
	var usedA, usedB uint64
	matches := 0
	for i := 0; i < len(a); i++ {
		lo, hi := max(0, i-window), min(len(b), i+window+1)
		for j := lo; j < hi; j++ {
			if usedB&(1<<j) == 0 && a[i] == b[j] {
				usedA |= 1 << i
				usedB |= 1 << j
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	transpositions, j := 0, 0
	for i := 0; i < len(a); i++ {
		if usedA&(1<<i) == 0 {
			continue
		}
		for usedB&(1<<j) == 0 {
			j++
		}
		if a[i] != b[j] {
			transpositions++
		}
		j++
	}
	m := float64(matches)
	jaro := (m/float64(len(a)) + m/float64(len(b)) + (m-float64(transpositions/2))/m) / 3
	prefix := 0
	for prefix < 4 && prefix < len(a) && prefix < len(b) && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
