package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// AddDBPool reports a connection pool's statistics as kyc_db_* metrics.
func (m *Metrics) AddDBPool(stats func() sql.DBStats) {
	gauge := func(name, help string, v func(sql.DBStats) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return v(stats()) })
	}
	counter := func(name, help string, v func(sql.DBStats) float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return v(stats()) })
	}
	m.Register(
		gauge("kyc_db_connections_max", "The pool's cap on open connections (--db-max-conns).",
			func(s sql.DBStats) float64 { return float64(s.MaxOpenConnections) }),
		gauge("kyc_db_connections_open", "Open database connections, in use or idle.",
			func(s sql.DBStats) float64 { return float64(s.OpenConnections) }),
		gauge("kyc_db_connections_in_use", "Database connections in use.",
			func(s sql.DBStats) float64 { return float64(s.InUse) }),
		gauge("kyc_db_connections_idle", "Idle database connections.",
			func(s sql.DBStats) float64 { return float64(s.Idle) }),
		counter("kyc_db_waits_total", "Times a request waited for a free database connection.",
			func(s sql.DBStats) float64 { return float64(s.WaitCount) }),
		counter("kyc_db_wait_seconds_total", "Time spent waiting for a free database connection.",
			func(s sql.DBStats) float64 { return s.WaitDuration.Seconds() }),
	)
}

// QueueFunc reports the webhook outbox: pending events and when the oldest was queued.
type QueueFunc func(context.Context) (pending int, oldest time.Time, err error)

// AddWebhookQueue reports the webhook outbox, read from the database at each scrape (one
// indexed query, bounded by queueTimeout). A failed read reports nothing, so that a scrape
// shows the gap, and logs why.
func (m *Metrics) AddWebhookQueue(queue QueueFunc, now func() time.Time, log *slog.Logger) {
	m.Register(&queueCollector{queue: queue, now: now, log: log})
}

const queueTimeout = 2 * time.Second

var (
	queueDepth = prometheus.NewDesc("kyc_webhook_queue_depth",
		"Webhook events pending delivery.", nil, nil)
	queueOldest = prometheus.NewDesc("kyc_webhook_queue_oldest_seconds",
		"Age of the webhook event that has waited longest for delivery (0 when none is pending).", nil, nil)
)

type queueCollector struct {
	queue QueueFunc
	now   func() time.Time
	log   *slog.Logger
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueDepth
	ch <- queueOldest
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), queueTimeout)
	defer cancel()
	n, oldest, err := c.queue(ctx)
	if err != nil {
		c.log.Warn("metrics: cannot read the webhook queue", "err", err)
		return
	}
	age := 0.0
	if !oldest.IsZero() {
		age = max(c.now().Sub(oldest).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(queueDepth, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(queueOldest, prometheus.GaugeValue, age)
}
