package metrics

import (
	"regexp"
	"slices"

	"github.com/prometheus/client_golang/prometheus"
)

// fqName finds a metric's name in its description, the one place the client library shows it.
var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

// Names lists the name of every metric registered, sorted, whether or not it has a sample
// yet: the README's test checks that each is documented.
func (m *Metrics) Names() []string {
	var names []string
	for _, c := range m.collectors {
		descs := make(chan *prometheus.Desc)
		go func() { c.Describe(descs); close(descs) }()
		for d := range descs {
			if sub := fqName.FindStringSubmatch(d.String()); sub != nil {
				names = append(names, sub[1])
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}
