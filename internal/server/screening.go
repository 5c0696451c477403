package server

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/screening"
)

// snapshotResource is one list snapshot in JSON:API form.
type snapshotResource struct {
	ID         string           `json:"id"`
	Type       string           `json:"type"`
	Attributes kyc.ListSnapshot `json:"attributes"`
}

// getLists is GET /v1/screening/lists: the active snapshot of each list, and the progress of
// the latest re-screening of every profile (null before the first). The lists are the
// service's, the same for every account.
func (s *Server) getLists(_ http.ResponseWriter, r *http.Request) (any, error) {
	snaps, err := s.db.FindActiveLists(r.Context())
	if err != nil {
		return nil, err
	}
	data := make([]snapshotResource, len(snaps))
	for i, snap := range snaps {
		data[i] = snapshotResource{ID: snap.ID, Type: "list_snapshot", Attributes: snap}
	}
	progress, err := s.db.FindRescreenProgress(r.Context())
	if err != nil {
		return nil, err
	}
	return map[string]any{"data": data, "meta": map[string]any{"rescreen": progress}}, nil
}

// searchScreening is POST /v1/screening/search: one name screened against the active lists
// (and, in sandbox, the built-in fictional list).
func (s *Server) searchScreening(w http.ResponseWriter, r *http.Request) (any, error) {
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	q, err := kyc.DecodeScreeningQuery(body)
	if err != nil {
		return nil, err
	}
	ix, err := s.lists.current(r.Context(), s)
	if err != nil {
		return nil, err
	}
	if len(ix.Lists()) == 0 {
		return nil, kyc.NoActiveList()
	}
	subject := screening.Subject{Kind: q.Type, Name: q.Name, DateOfBirth: q.DateOfBirth}
	if q.Country != "" {
		subject.Countries = []string{q.Country}
	}
	result := kyc.ScreeningResult{AlgorithmVersion: screening.AlgorithmVersion, Threshold: screening.DefaultThreshold,
		Lists: ix.Lists(), Hits: ix.Screen(subject, screening.DefaultThreshold)}
	if result.Hits == nil {
		result.Hits = []kyc.ScreeningHit{}
	}
	return map[string]any{"data": map[string]any{"type": "screening_result", "attributes": result}}, nil
}

// liveIndex is the screening index of the active snapshots. It is rebuilt when they change,
// which every request checks at most once a minute (a cheap query), so that a list imported
// by another process or instance is screened against within a minute.
type liveIndex struct {
	index   atomic.Pointer[screening.Index]
	mu      sync.Mutex // one rebuild at a time
	key     string     // the snapshot ids of index
	checked atomic.Int64
}

// listsCheckEvery is how long an index is used before the active snapshots are checked.
const listsCheckEvery = time.Minute

// current returns an index no older than listsCheckEvery. While another request rebuilds
// it, the previous one is used.
func (l *liveIndex) current(ctx context.Context, s *Server) (*screening.Index, error) {
	ix := l.index.Load()
	if ix != nil && time.Since(time.Unix(0, l.checked.Load())) < listsCheckEvery {
		return ix, nil
	}
	if ix != nil && !l.mu.TryLock() {
		return ix, nil
	}
	if ix == nil {
		l.mu.Lock()
	}
	defer l.mu.Unlock()
	if err := s.refreshLists(ctx); err != nil {
		return nil, err
	}
	return l.index.Load(), nil
}

// RefreshLists rebuilds the screening index if the active snapshots changed.
func (s *Server) RefreshLists(ctx context.Context) error {
	s.lists.mu.Lock()
	defer s.lists.mu.Unlock()
	return s.refreshLists(ctx)
}

func (s *Server) refreshLists(ctx context.Context) error {
	snaps, err := s.db.FindActiveLists(ctx)
	if err != nil {
		return err
	}
	ids := make([]string, len(snaps))
	for i, snap := range snaps {
		ids[i] = snap.ID
	}
	key := strings.Join(ids, ",")
	if s.lists.index.Load() == nil || key != s.lists.key {
		loaded, err := s.db.LoadActiveLists(ctx)
		if err != nil {
			return err
		}
		if s.env == Sandbox {
			sandbox := screening.SandboxList()
			sandbox.Snapshot.ImportedAt = s.now().UTC().Truncate(time.Second)
			loaded = append(loaded, sandbox)
		}
		s.lists.index.Store(screening.NewIndex(loaded))
		s.lists.key = key
	}
	s.lists.checked.Store(time.Now().UnixNano())
	return nil
}

// KeepListsCurrent builds the screening index now and checks the active snapshots every
// minute until ctx ends, so that requests seldom wait for a rebuild (1 s or so for OFAC and
// UN together); after each check it re-screens every profile if the snapshots (or the risk
// rules) changed since the last complete run (Rescreen). A failure is logged; requests
// then try again themselves, and the re-screening resumes at the next check.
func (s *Server) KeepListsCurrent(ctx context.Context) {
	t := time.NewTicker(listsCheckEvery)
	defer t.Stop()
	for {
		if err := s.RefreshLists(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("screening index refresh failed", "err", err)
		} else if err := s.Rescreen(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("re-screening failed; it resumes at the next check", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
