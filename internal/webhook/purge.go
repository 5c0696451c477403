package webhook

import (
	"context"
	"time"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// purger is the audit log's actor of the purge.
var purger = kyc.AuditActor{Type: kyc.AuditBySystem, ID: "webhook-retention"}

// Purge deletes the delivered and failed events older than Retention, with their attempts,
// batch by batch until none is left, and returns how many it deleted. Their bodies hold
// copies of personal data (sealed), which the log of deliveries needs only for a while.
// Pending events are kept whatever their age. Without a Retention it does nothing.
func (w *Worker) Purge(ctx context.Context) (int, error) {
	w.init()
	if w.Retention <= 0 {
		return 0, nil
	}
	cutoff, total := w.Now().Add(-w.Retention), 0
	for {
		// Each batch is one record of the audit log, in the batch's transaction.
		audited := store.WithAudit(ctx, store.NewAudit(purger, kyc.AuditWebhookPurge, ""))
		n, err := w.DB.PurgeWebhookEvents(audited, cutoff)
		total += n
		if err != nil || n < store.MaxEventsPurged {
			return total, err
		}
	}
}

// PurgeEvery runs Purge at once and then every interval until ctx ends.
func (w *Worker) PurgeEvery(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := w.Purge(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			w.Log.Warn("webhook event purge failed", "err", err)
		case n > 0:
			w.Log.Info("webhook events purged", "count", n, "retention", w.Retention.String())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
