package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/openkyc/kyc"
)

// awaitRescreen runs kyc serve on the seeded database until it has re-screened every
// profile, then stops it. Seeded profiles have never been screened, so the first serve on
// them re-screens all of them in the background (README: Re-screening), as after a lists
// update: measured meanwhile, a million-profile database measured that work, not its size.
// The measured serve, started afterwards, finds the run finished.
func (c *cli) awaitRescreen(ctx context.Context, exe string, pin pinner, t benchTarget, serve []string) error {
	start := time.Now()
	api, err := startProcess(ctx, pin.server, exe, append(serve, "--addr")...)
	if err != nil {
		return err
	}
	defer api.stop()
	hc := &http.Client{Timeout: 10 * time.Second}
	for last := time.Now(); ; {
		p, err := rescreenProgress(ctx, hc, api.url(), t.apiKey)
		switch {
		case err != nil:
			return fmt.Errorf("re-screening progress: %w", err)
		case p.FinishedAt != nil:
			c.printf("re-screened %d profiles in %s before measuring\n", p.Screened, time.Since(start).Round(time.Second))
			return nil
		case time.Since(last) >= 30*time.Second:
			c.printf("re-screening the seeded profiles: %d of %d\n", p.Screened, p.Total)
			last = time.Now()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// rescreenProgress reads the progress of the current re-screening; before serve has begun
// one, a run with nothing screened and no end.
func rescreenProgress(ctx context.Context, hc *http.Client, url, apiKey string) (kyc.RescreenProgress, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/v1/screening/lists", nil)
	if err != nil {
		return kyc.RescreenProgress{}, err
	}
	req.Header.Set("X-XFERS-APP-API-KEY", apiKey)
	resp, err := hc.Do(req)
	if err != nil {
		return kyc.RescreenProgress{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return kyc.RescreenProgress{}, fmt.Errorf("GET /v1/screening/lists: %s", resp.Status)
	}
	var body struct {
		Meta struct {
			Rescreen *kyc.RescreenProgress `json:"rescreen"`
		} `json:"meta"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 1<<20)).Decode(&body); err != nil {
		return kyc.RescreenProgress{}, err
	}
	if body.Meta.Rescreen == nil {
		return kyc.RescreenProgress{}, nil
	}
	return *body.Meta.Rescreen, nil
}
