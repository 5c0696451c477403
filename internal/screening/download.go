package screening

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// The publishers' addresses of the lists that `kyc lists update` downloads.
const (
	DefaultOFACURL = "https://www.treasury.gov/ofac/downloads/" // the SDN CSV set lies under it
	DefaultUNURL   = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
)

// Downloadable lists the sources with a publisher to download from.
var Downloadable = []Source{OFAC, UN}

// Downloader fetches the current lists from their publishers (or from a mirror, or a test
// server, when the URLs are changed).
type Downloader struct {
	Client  *http.Client // nil: a client with a ten-minute timeout per file
	OFACURL string       // base URL of sdn.csv, alt.csv, add.csv and sdn_comments.csv
	UNURL   string       // URL of the consolidated XML
}

// Download fetches and parses the current list of src.
func (d *Downloader) Download(ctx context.Context, src Source) (*List, error) {
	switch src {
	case OFAC:
		files := make([]io.Reader, len(OFACFileNames))
		base := strings.TrimSuffix(d.OFACURL, "/") + "/"
		for i, name := range OFACFileNames {
			b, err := d.get(ctx, base+name)
			if err != nil {
				return nil, err
			}
			files[i] = bytes.NewReader(b)
		}
		return ParseOFAC(OFACFiles{SDN: files[0], Alt: files[1], Add: files[2], Comments: files[3]})
	case UN:
		b, err := d.get(ctx, d.UNURL)
		if err != nil {
			return nil, err
		}
		return ParseUN(bytes.NewReader(b))
	}
	return nil, fmt.Errorf("%s: no publisher to download from", src)
}

// get reads one file, refusing anything but a 200 and anything over the file bound.
func (d *Downloader) get(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	client := d.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Minute}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download %s: %s", url, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, fileLimit+1))
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", url, err)
	}
	if int64(len(b)) > fileLimit {
		return nil, fmt.Errorf("download %s: larger than %d bytes", url, fileLimit)
	}
	return b, nil
}
