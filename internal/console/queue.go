package console

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/risk"
	"github.com/openkyc/kyc/internal/store"
)

// queuePage is how many profiles one page of the queue shows.
const queuePage = 25

type queueData struct {
	pageData
	Filter   queueFilter
	Accounts []kyc.Account
	Kinds    []*kyc.Kind
	RFIs     []option
	Levels   []option
	Hits     []option
	Items    []queueRow
	Total    int
	From, To int
	Prev     string // the previous page's query, "" on the first
	Next     string // the next page's query, "" on the last
}

type queueFilter struct {
	Account, Kind, RFI, Risk, Hits string
	Page                           int
}

type option struct{ Value, Label string }

type queueRow struct {
	store.QueueItem
	Name string
}

// riskLevels are the risk package's levels, lowest first: the queue's order and filter.
var riskLevels = []string{string(risk.Low), string(risk.Medium), string(risk.High), string(risk.Prohibited)}

var hitOptions = []option{{"", "Any"}, {store.QueueHitsUnresolved, "Unresolved hits"}, {store.QueueHitsNone, "None unresolved"}}

func levelOptions() []option {
	out := []option{{"", "Any"}}
	for _, l := range riskLevels {
		out = append(out, option{l, humanize(l)})
	}
	return out
}

var rfiOptions = []option{
	{"", "Any"}, {store.QueueRFINone, "None outstanding"},
	{store.QueueRFISent, "Sent, awaiting answers"}, {store.QueueRFIReceived, "Answers received"},
}

// parseQueueFilter reads the queue's query; values it does not know are ignored, as
// an empty filter.
func parseQueueFilter(q url.Values) queueFilter {
	f := queueFilter{Account: q.Get("account"), Kind: q.Get("kind"), RFI: q.Get("rfi"), Risk: q.Get("risk"), Hits: q.Get("hits"), Page: 1}
	if !slices.Contains(riskLevels, f.Risk) {
		f.Risk = ""
	}
	if f.Hits != store.QueueHitsUnresolved && f.Hits != store.QueueHitsNone {
		f.Hits = ""
	}
	if _, ok := kyc.KindNamed(f.Kind); !ok {
		f.Kind = ""
	}
	switch f.RFI {
	case store.QueueRFINone, store.QueueRFISent, store.QueueRFIReceived:
	default:
		f.RFI = ""
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 && n <= 100000 {
		f.Page = n
	}
	return f
}

func (f queueFilter) query(page int) string {
	v := url.Values{}
	for k, s := range map[string]string{"account": f.Account, "kind": f.Kind, "rfi": f.RFI, "risk": f.Risk, "hits": f.Hits} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return "?" + v.Encode()
}

func (c *Console) queue(w http.ResponseWriter, r *http.Request) {
	f := parseQueueFilter(r.URL.Query())
	accounts, err := c.db.FindAccounts(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	items, total, err := c.db.FindReviewQueue(r.Context(), store.QueueQuery{AccountID: f.Account, Kind: f.Kind, RFI: f.RFI,
		Risk: f.Risk, Unresolved: f.Hits, Levels: riskLevels, Offset: (f.Page - 1) * queuePage, Limit: queuePage})
	if err != nil {
		c.internal(w, r, err)
		return
	}
	for _, it := range items {
		store.AuditTarget(r.Context(), it.Profile.ID)
	}
	d := &queueData{Filter: f, Accounts: accounts, Kinds: kyc.Kinds, RFIs: rfiOptions, Levels: levelOptions(), Hits: hitOptions, Total: total}
	d.Title = "Review queue"
	for _, it := range items {
		d.Items = append(d.Items, queueRow{QueueItem: it, Name: displayName(it.Profile)})
	}
	d.paginate(f, len(items))
	c.render(w, r, http.StatusOK, "queue", d)
}

func (d *queueData) paginate(f queueFilter, n int) {
	if n > 0 {
		d.From = (f.Page-1)*queuePage + 1
		d.To = d.From + n - 1
	}
	if f.Page > 1 {
		d.Prev = f.query(f.Page - 1)
	}
	if d.To < d.Total && n > 0 {
		d.Next = f.query(f.Page + 1)
	}
}

// displayName is who the profile is about, as a reviewer calls them.
func displayName(p *kyc.Profile) string {
	for _, names := range [][]string{{"customerFirstName", "customerLastName"}, {"customerName"}} {
		s := ""
		for _, n := range names {
			if v := p.Text(n); v != "" {
				s += " " + v
			}
		}
		if s != "" {
			return s[1:]
		}
	}
	return p.ID
}
