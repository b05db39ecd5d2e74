package testservers

import (
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"

	collector "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// OTLP is an OTLP/HTTP trace receiver on loopback: it decodes each export request's protobuf
// (as an OpenTelemetry Collector would) and keeps the spans, with their resources' attributes.
type OTLP struct {
	// Endpoint is its address for OTEL_EXPORTER_OTLP_ENDPOINT: http://127.0.0.1:PORT.
	Endpoint string

	mu       sync.Mutex
	spans    []Span
	requests int
}

// Span is one span the receiver got.
type Span struct {
	*tracepb.Span
	// Resource are the attributes of the span's resource (service.name, ...).
	Resource map[string]string
}

// Attr is the value of one of the span's attributes as text ("" when absent).
func (s Span) Attr(key string) string { return attrs(s.Attributes)[key] }

// NewOTLP starts a receiver, stopped when the test ends.
func NewOTLP(t testing.TB) *OTLP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	o := &OTLP{Endpoint: "http://" + ln.Addr().String()}
	srv := &http.Server{Handler: http.HandlerFunc(o.receive)}
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	t.Cleanup(func() { srv.Close() })
	return o
}

// receive handles POST /v1/traces.
func (o *OTLP) receive(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/traces" || r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-protobuf" {
		http.Error(w, "an OTLP/HTTP protobuf trace export is POST /v1/traces", http.StatusNotFound)
		return
	}
	body := io.Reader(r.Body)
	if r.Header.Get("Content-Encoding") == "gzip" {
		z, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = z
	}
	data, err := io.ReadAll(body)
	var req collector.ExportTraceServiceRequest
	if err == nil {
		err = proto.Unmarshal(data, &req)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	o.mu.Lock()
	o.requests++
	for _, rs := range req.ResourceSpans {
		res := attrs(rs.GetResource().GetAttributes())
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				o.spans = append(o.spans, Span{Span: s, Resource: res})
			}
		}
	}
	o.mu.Unlock()
	out, _ := proto.Marshal(&collector.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.Write(out) //nolint:errcheck // the exporter's trouble
}

// Spans are the spans received so far, and the number of export requests.
func (o *OTLP) Spans() ([]Span, int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Span(nil), o.spans...), o.requests
}

func attrs(kvs []*commonpb.KeyValue) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		switch v := kv.GetValue().GetValue().(type) {
		case *commonpb.AnyValue_StringValue:
			m[kv.Key] = v.StringValue
		case *commonpb.AnyValue_IntValue:
			m[kv.Key] = strconv.FormatInt(v.IntValue, 10)
		case *commonpb.AnyValue_BoolValue:
			m[kv.Key] = strconv.FormatBool(v.BoolValue)
		case *commonpb.AnyValue_DoubleValue:
			m[kv.Key] = strconv.FormatFloat(v.DoubleValue, 'g', -1, 64)
		default:
			m[kv.Key] = fmt.Sprint(v)
		}
	}
	return m
}
