package tracing

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/protobuf/encoding/protowire"
)

// otlpExporter sends spans to an OTLP/HTTP receiver as binary protobuf
// (ExportTraceServiceRequest), configured by the OTEL_EXPORTER_OTLP_* variables.
//
// Why not go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp: it links the
// generated gRPC service and gateway code of the OTLP protos, and with them gRPC, into every
// compiled workflow. Measured on the ETL example, that made each binary 26.8 MB instead of
// 11.0, and the README's first build on empty caches 104 s instead of 57. Encoding the few
// messages of a trace export with protowire costs about 200 lines, and the tests decode what
// it sends with the OTLP protos themselves.
type otlpExporter struct {
	endpoint string
	shown    string // the endpoint in messages: without a password
	headers  map[string]string
	gzip     bool
	client   *http.Client
	failures failures // what Shutdown reports
}

// failures are the exports that failed: the batch processor would hand their errors to
// OpenTelemetry's global handler, which prints a bare line outside the run's log format;
// Shutdown returns them instead, and the run or worker logs them as one record.
type failures struct {
	mu    sync.Mutex
	count int
	first error
}

func (f *failures) add(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.count == 0 {
		f.first = err
	}
	f.count++
}

// err is nil without failures, else how many and the first.
func (f *failures) err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch f.count {
	case 0:
		return nil
	case 1:
		return f.first
	}
	return fmt.Errorf("%d exports failed, the first: %w", f.count, f.first)
}

// exporterFromEnv reads the exporter's settings: the endpoint (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
// as it is, else OTEL_EXPORTER_OTLP_ENDPOINT with /v1/traces), headers, timeout (milliseconds,
// default 10 s) and compression (gzip or none), the traces-specific variable first.
func exporterFromEnv() (*otlpExporter, error) {
	endpoint := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
	if endpoint == "" {
		endpoint = strings.TrimSuffix(os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT"), "/") + "/v1/traces"
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("the OTLP endpoint %q is not an http:// or https:// URL", endpoint)
	}
	if p := setting("PROTOCOL"); p != "" && p != "http/protobuf" {
		return nil, fmt.Errorf("OTLP protocol %q: only http/protobuf is exported", p)
	}
	timeout := 10 * time.Second
	if ms := setting("TIMEOUT"); ms != "" {
		n, err := strconv.Atoi(ms)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_TIMEOUT %q is not a number of milliseconds", ms)
		}
		timeout = time.Duration(n) * time.Millisecond
	}
	x := &otlpExporter{endpoint: endpoint, shown: u.Redacted(), headers: map[string]string{}, client: &http.Client{Timeout: timeout}}
	switch c := setting("COMPRESSION"); c {
	case "gzip":
		x.gzip = true
	case "", "none":
	default:
		return nil, fmt.Errorf("OTLP compression %q: gzip or none", c)
	}
	for _, kv := range strings.Split(setting("HEADERS"), ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		if decoded, err := url.QueryUnescape(strings.TrimSpace(v)); err == nil {
			v = decoded
		}
		x.headers[strings.TrimSpace(k)] = v
	}
	return x, nil
}

// setting is OTEL_EXPORTER_OTLP_TRACES_NAME, else OTEL_EXPORTER_OTLP_NAME.
func setting(name string) string {
	if v := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_" + name); v != "" {
		return v
	}
	return os.Getenv("OTEL_EXPORTER_OTLP_" + name)
}

// ExportSpans sends one batch, trying again on the answers that mean "later" (429, 502, 503,
// 504) up to three times in all; a receiver that cannot be reached is not tried again (the
// run's end would wait for it). A failure is kept for Shutdown, not returned.
func (x *otlpExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if err := x.export(ctx, spans); err != nil {
		x.failures.add(err)
	}
	return nil
}

func (x *otlpExporter) export(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	body := exportRequest(spans)
	if x.gzip {
		var b bytes.Buffer
		z := gzip.NewWriter(&b)
		z.Write(body) //nolint:errcheck // a bytes.Buffer does not fail
		z.Close()     //nolint:errcheck // idem
		body = b.Bytes()
	}
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		var again bool
		if again, err = x.post(ctx, body); err == nil || !again {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt) * 200 * time.Millisecond):
		}
	}
	return err
}

// post sends one request; again reports whether a failure may pass if tried later.
func (x *otlpExporter) post(ctx context.Context, body []byte) (again bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, x.endpoint, bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	if x.gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	for k, v := range x.headers {
		req.Header.Set(k, v)
	}
	resp, err := x.client.Do(req)
	if err != nil {
		return false, fmt.Errorf("OTLP export to %s: %w", x.shown, unwrapURLError(err))
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) //nolint:errcheck // only the status matters
	switch {
	case resp.StatusCode/100 == 2:
		return false, nil
	case resp.StatusCode == 429, resp.StatusCode == 502, resp.StatusCode == 503, resp.StatusCode == 504:
		return true, fmt.Errorf("OTLP export to %s: %s", x.shown, resp.Status)
	}
	return false, fmt.Errorf("OTLP export to %s: %s", x.shown, resp.Status)
}

// Shutdown reports the exports that failed; it has nothing to release (the batch processor
// flushes before it calls it).
func (x *otlpExporter) Shutdown(context.Context) error { return x.failures.err() }

// unwrapURLError is the cause of an *url.Error, whose own text repeats the method and URL.
func unwrapURLError(err error) error {
	if u, ok := err.(*url.Error); ok {
		return u.Err
	}
	return err
}

// Field numbers of opentelemetry/proto/collector/trace/v1 and its messages.
const (
	requestResourceSpans = 1 // ExportTraceServiceRequest.resource_spans
	resourceSpansRes     = 1 // ResourceSpans.resource
	resourceSpansScope   = 2 // ResourceSpans.scope_spans
	resourceAttributes   = 1 // Resource.attributes
	scopeSpansScope      = 1 // ScopeSpans.scope
	scopeSpansSpans      = 2 // ScopeSpans.spans
	scopeName            = 1 // InstrumentationScope.name
	scopeVersion         = 2 // InstrumentationScope.version
	spanTraceID          = 1
	spanSpanID           = 2
	spanTraceState       = 3
	spanParentSpanID     = 4
	spanName             = 5
	spanKind             = 6
	spanStart            = 7
	spanEnd              = 8
	spanAttributes       = 9
	spanStatus           = 15
	spanFlags            = 16
	statusMessage        = 2
	statusCode           = 3
	keyValueKey          = 1
	keyValueValue        = 2
	anyString            = 1
	anyBool              = 2
	anyInt               = 3
	anyDouble            = 4
)

// exportRequest encodes spans as one ExportTraceServiceRequest: one ResourceSpans per
// resource, one ScopeSpans per instrumentation scope within it, in the order spans come.
func exportRequest(spans []sdktrace.ReadOnlySpan) []byte {
	type scopeKey struct{ name, version string }
	type group struct {
		res    []byte
		scopes map[scopeKey][]byte
		order  []scopeKey
	}
	var groups []*group
	byResource := map[*resource.Resource]*group{} // the spans of a provider share its resource
	for _, s := range spans {
		g := byResource[s.Resource()]
		if g == nil {
			g = &group{res: resourceMessage(s.Resource()), scopes: map[scopeKey][]byte{}}
			byResource[s.Resource()] = g
			groups = append(groups, g)
		}
		sc := scopeKey{s.InstrumentationScope().Name, s.InstrumentationScope().Version}
		if _, ok := g.scopes[sc]; !ok {
			g.order = append(g.order, sc)
		}
		g.scopes[sc] = message(g.scopes[sc], scopeSpansSpans, spanMessage(s))
	}
	var out []byte
	for _, g := range groups {
		rs := message(nil, resourceSpansRes, g.res)
		for _, sc := range g.order {
			scope := protowire.AppendTag(nil, scopeName, protowire.BytesType)
			scope = protowire.AppendString(scope, sc.name)
			scope = protowire.AppendTag(scope, scopeVersion, protowire.BytesType)
			scope = protowire.AppendString(scope, sc.version)
			ss := message(nil, scopeSpansScope, scope)
			rs = message(rs, resourceSpansScope, append(ss, g.scopes[sc]...))
		}
		out = message(out, requestResourceSpans, rs)
	}
	return out
}

// message appends field num holding the encoded message m.
func message(b []byte, num protowire.Number, m []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, m)
}

func resourceMessage(r *resource.Resource) []byte {
	var b []byte
	if r != nil {
		for _, kv := range r.Attributes() {
			b = message(b, resourceAttributes, keyValue(kv))
		}
	}
	return b
}

func spanMessage(s sdktrace.ReadOnlySpan) []byte {
	sc := s.SpanContext()
	tid, sid := sc.TraceID(), sc.SpanID()
	b := protowire.AppendTag(nil, spanTraceID, protowire.BytesType)
	b = protowire.AppendBytes(b, tid[:])
	b = protowire.AppendTag(b, spanSpanID, protowire.BytesType)
	b = protowire.AppendBytes(b, sid[:])
	if ts := sc.TraceState().String(); ts != "" {
		b = protowire.AppendTag(b, spanTraceState, protowire.BytesType)
		b = protowire.AppendString(b, ts)
	}
	if p := s.Parent(); p.SpanID().IsValid() {
		pid := p.SpanID()
		b = protowire.AppendTag(b, spanParentSpanID, protowire.BytesType)
		b = protowire.AppendBytes(b, pid[:])
	}
	b = protowire.AppendTag(b, spanName, protowire.BytesType)
	b = protowire.AppendString(b, s.Name())
	b = protowire.AppendTag(b, spanKind, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(s.SpanKind())) // the API's kinds are numbered as OTLP's
	b = protowire.AppendTag(b, spanStart, protowire.Fixed64Type)
	b = protowire.AppendFixed64(b, uint64(s.StartTime().UnixNano()))
	b = protowire.AppendTag(b, spanEnd, protowire.Fixed64Type)
	b = protowire.AppendFixed64(b, uint64(s.EndTime().UnixNano()))
	for _, kv := range s.Attributes() {
		b = message(b, spanAttributes, keyValue(kv))
	}
	if st := s.Status(); st.Code != codes.Unset {
		var m []byte
		if st.Description != "" {
			m = protowire.AppendTag(m, statusMessage, protowire.BytesType)
			m = protowire.AppendString(m, st.Description)
		}
		m = protowire.AppendTag(m, statusCode, protowire.VarintType)
		m = protowire.AppendVarint(m, otlpStatus(st.Code))
		b = message(b, spanStatus, m)
	}
	b = protowire.AppendTag(b, spanFlags, protowire.Fixed32Type)
	return protowire.AppendFixed32(b, uint32(sc.TraceFlags()))
}

// otlpStatus is OTLP's StatusCode: UNSET 0, OK 1, ERROR 2 (the API numbers Error 1, Ok 2).
func otlpStatus(c codes.Code) uint64 {
	switch c {
	case codes.Ok:
		return 1
	case codes.Error:
		return 2
	}
	return 0
}

// keyValue encodes one attribute; slices are written as their text, which no attribute of
// this package has.
func keyValue(kv attribute.KeyValue) []byte {
	b := protowire.AppendTag(nil, keyValueKey, protowire.BytesType)
	b = protowire.AppendString(b, string(kv.Key))
	var v []byte
	switch kv.Value.Type() {
	case attribute.BOOL:
		v = protowire.AppendTag(v, anyBool, protowire.VarintType)
		v = protowire.AppendVarint(v, protowire.EncodeBool(kv.Value.AsBool()))
	case attribute.INT64:
		v = protowire.AppendTag(v, anyInt, protowire.VarintType)
		v = protowire.AppendVarint(v, uint64(kv.Value.AsInt64()))
	case attribute.FLOAT64:
		v = protowire.AppendTag(v, anyDouble, protowire.Fixed64Type)
		v = protowire.AppendFixed64(v, math.Float64bits(kv.Value.AsFloat64()))
	default:
		v = protowire.AppendTag(v, anyString, protowire.BytesType)
		v = protowire.AppendString(v, kv.Value.String())
	}
	return message(b, keyValueValue, v)
}
