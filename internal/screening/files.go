package screening

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ReadFiles reads a list of the source from files on disk. OFAC takes a directory holding
// the CSV set, or the files themselves, recognised by the end of their names (sdn.csv,
// alt.csv, add.csv, sdn_comments.csv, so "ofac-sdn.csv" will do); UN and custom take one
// file.
func ReadFiles(src Source, paths []string) (*List, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no file given", src)
	}
	if src != OFAC {
		if len(paths) != 1 {
			return nil, fmt.Errorf("%s: one file, not %d", src, len(paths))
		}
		f, err := os.Open(paths[0])
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return Parse(src, f)
	}
	return readOFACFiles(paths)
}

// Parse reads a one-file list (UN or custom).
func Parse(src Source, r io.Reader) (*List, error) {
	switch src {
	case UN:
		return ParseUN(r)
	case Custom:
		return ParseCustom(r)
	}
	return nil, fmt.Errorf("%s: not a one-file list", src)
}

// OFACFileNames are the file names of the SDN CSV set, in OFACFiles' order.
var OFACFileNames = []string{"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"}

func readOFACFiles(paths []string) (*List, error) {
	if len(paths) == 1 {
		if st, err := os.Stat(paths[0]); err == nil && st.IsDir() {
			entries, err := os.ReadDir(paths[0])
			if err != nil {
				return nil, err
			}
			dir := paths[0]
			paths = nil
			for _, e := range entries {
				if ofacFileIndex(e.Name()) >= 0 {
					paths = append(paths, filepath.Join(dir, e.Name()))
				}
			}
		}
	}
	readers := make([]io.Reader, len(OFACFileNames))
	for _, p := range paths {
		i := ofacFileIndex(filepath.Base(p))
		if i < 0 {
			return nil, fmt.Errorf("ofac: %s is none of %s", p, strings.Join(OFACFileNames, ", "))
		}
		if readers[i] != nil {
			return nil, fmt.Errorf("ofac: two files for %s", OFACFileNames[i])
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		readers[i] = f
	}
	return ParseOFAC(OFACFiles{SDN: readers[0], Alt: readers[1], Add: readers[2], Comments: readers[3]})
}

// ofacFileIndex returns the place of a file name in OFACFileNames, -1 if it is none.
// sdn_comments.csv is tested first, as it does not end in sdn.csv but ought not be
// mistaken for anything else.
func ofacFileIndex(name string) int {
	name = strings.ToLower(name)
	for _, i := range []int{3, 0, 1, 2} {
		if strings.HasSuffix(name, OFACFileNames[i]) {
			return i
		}
	}
	return -1
}
