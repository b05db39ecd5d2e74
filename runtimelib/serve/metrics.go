package serve

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// serveMetrics are what GET /metrics answers, in the Prometheus text format: runs by outcome,
// run and node durations as histograms, node failures and retries by node; runs running and
// runs refused (503); and the Go runtime's and the process's own.
type serveMetrics struct {
	registry     *prometheus.Registry
	runs         *prometheus.CounterVec
	runDuration  prometheus.Histogram
	nodeDuration *prometheus.HistogramVec
	nodeFailures *prometheus.CounterVec
	nodeRetries  *prometheus.CounterVec
	running      prometheus.Gauge
	rejected     prometheus.Counter
	firings      *prometheus.CounterVec // by schedule and outcome: started, queued, skipped
}

// durationBuckets span 1 ms to about 1 min.
var durationBuckets = prometheus.ExponentialBuckets(0.001, 2.5, 13)

func newServeMetrics(workflow string) *serveMetrics {
	labels := prometheus.Labels{"workflow": workflow}
	m := &serveMetrics{
		registry: prometheus.NewRegistry(),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kailashgen_runs_total", ConstLabels: labels,
			Help: "Runs by outcome: succeeded, failed (some node failed or was skipped), cancelled (the client left, or shutdown)."}, []string{"outcome"}),
		runDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "kailashgen_run_duration_seconds", ConstLabels: labels,
			Help: "Runs' total_duration.", Buckets: durationBuckets}),
		nodeDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "kailashgen_node_duration_seconds", ConstLabels: labels,
			Help: "Nodes' durations, by node, of the nodes that ran.", Buckets: durationBuckets}, []string{"node"}),
		nodeFailures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kailashgen_node_failures_total", ConstLabels: labels,
			Help: "Nodes that failed, by node."}, []string{"node"}),
		nodeRetries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kailashgen_node_retries_total", ConstLabels: labels,
			Help: "Attempts after the first, by node."}, []string{"node"}),
		running: prometheus.NewGauge(prometheus.GaugeOpts{Name: "kailashgen_runs_running", ConstLabels: labels,
			Help: "Runs running now."}),
		rejected: prometheus.NewCounter(prometheus.CounterOpts{Name: "kailashgen_runs_rejected_total", ConstLabels: labels,
			Help: "Requests answered 503 because --max-runs runs were running."}),
		firings: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kailashgen_schedule_firings_total", ConstLabels: labels,
			Help: "Firings of each schedule by outcome: started a run, queued one (queue_one), skipped (its previous run still going)."}, []string{"schedule", "outcome"}),
	}
	m.registry.MustRegister(m.runs, m.runDuration, m.nodeDuration, m.nodeFailures, m.nodeRetries, m.running, m.rejected, m.firings,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, outcome := range []string{"succeeded", "failed", "cancelled"} {
		m.runs.WithLabelValues(outcome) // listed at 0 from the start
	}
	return m
}

func (m *serveMetrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// record counts a finished run (profiled) and returns its outcome.
func (m *serveMetrics) record(res *runtimelib.Result, cancelled bool) string {
	outcome := "succeeded"
	switch {
	case cancelled:
		outcome = "cancelled"
	case !res.OK():
		outcome = "failed"
	}
	m.runs.WithLabelValues(outcome).Inc()
	m.runDuration.Observe(res.TotalDuration)
	for node := range res.Errors {
		m.nodeFailures.WithLabelValues(node).Inc()
	}
	if res.Metrics != nil {
		for node, d := range res.Metrics.NodeDurations {
			m.nodeDuration.WithLabelValues(node).Observe(d)
		}
		for node, n := range res.Metrics.Retries {
			m.nodeRetries.WithLabelValues(node).Add(float64(n))
		}
	}
	return outcome
}
