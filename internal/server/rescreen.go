package server

import (
	"context"
	"strings"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/screening"
	"github.com/openkyc/kyc/internal/store"
)

// rescreenBatch is how many profiles one transaction of the re-screening takes: small
// enough that the writes of requests waiting behind it are not held up long.
const rescreenBatch = 25

// rescreenTarget names what every profile must be screened and rated for: the snapshots of
// ix, the algorithm and the risk rules' version. When it changes, every profile is screened
// again.
func (s *Server) rescreenTarget(ix *screening.Index) string {
	ids := []string{}
	for _, l := range ix.Lists() {
		ids = append(ids, l.ID)
	}
	return strings.Join(ids, ",") + "|" + screening.AlgorithmVersion + "|" + s.rules.Version
}

func (s *Server) assessWith(ix *screening.Index) store.Assess {
	return store.Assess{
		Screen: func(p *kyc.Profile) *kyc.ProfileScreening { return ix.ScreenProfile(p, s.now()) },
		Rate:   s.rules.RateProfile,
	}
}

// Rescreen screens and rates every profile again against the current index and rules,
// unless that was done already, batch by batch, until done or ctx ends; a run interrupted
// (ctx, a crash) resumes where it stopped, from its cursor in the database. Only profiles
// whose matches changed raise an alert (history and the cpScreeningAlert event).
func (s *Server) Rescreen(ctx context.Context) error {
	for ctx.Err() == nil {
		done, err := s.RescreenStep(ctx)
		if err != nil || done {
			return err
		}
	}
	return ctx.Err()
}

// RescreenStep is one batch of Rescreen; it reports whether the run is finished.
func (s *Server) RescreenStep(ctx context.Context) (done bool, err error) {
	ix, err := s.lists.current(ctx, s)
	if err != nil {
		return false, err
	}
	target := s.rescreenTarget(ix)
	if done, err := s.db.RescreenFinished(ctx, target); err != nil || done {
		return done, err
	}
	return s.db.RescreenBatch(ctx, target, s.assessWith(ix), rescreenBatch)
}
