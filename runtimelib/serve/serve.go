package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib"
	"github.com/kailashgen/kailashgen/runtimelib/cli"
	"github.com/kailashgen/kailashgen/runtimelib/internal/uuid"
	"github.com/kailashgen/kailashgen/runtimelib/picture"
)

// Importing the package links ./NAME serve into a workflow binary (--with serve).
func init() {
	cli.RegisterCommand("serve", "the workflow as an HTTP service: POST /run, GET /, /healthz, /metrics", Main)
}

// Serve's settings (format section 9).
const (
	defaultAddr  = "127.0.0.1:8080"
	maxBody      = 10 << 20 // bytes of a POST /run body
	defaultGrace = 30 * time.Second
	// answerGrace is how long the answers of the runs cancelled at the grace's end may take
	// to reach their clients (the process exits within its grace plus 5 s).
	answerGrace = 4 * time.Second
)

// server is ./NAME serve: the workflow as an HTTP service.
type server struct {
	p        cli.Program
	inv      *cli.Invocation // the serve command line: run flags, inputs given as defaults
	file     map[string]json.RawMessage
	profile  bool // the results carry metrics (--profile); runs are always profiled for /metrics
	log      *slog.Logger
	slots    chan struct{} // one per run that may run at once (--max-runs)
	metrics  *serveMetrics
	latest   *latestRuns
	inflight sync.WaitGroup
	// hostChecked: serve listens on loopback, and answers only loopback Host names and
	// allowedHosts (--allowed-host).
	hostChecked  bool
	allowedHosts []string
	deps         map[string][]string // each node's upstream nodes, for the page's timelines
	// store is the journal of the /runs API's runs: --journal's file, shared by every run,
	// or one in memory.
	store         runtimelib.Journal
	book          *runBook
	fireSchedules bool
	keys          *keyGate // the runs of each concurrency key
	// schedules are the workflow's schedules, fired while serve runs (--schedules=false: none).
	schedules []*scheduled
	runs      context.Context // every run's context: cancelled when the shutdown's grace is over
}

// Main runs ./NAME serve ARGS until SIGINT or SIGTERM, and returns the exit status.
func Main(p cli.Program, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	addr, maxRuns, fireSchedules := defaultAddr, 2*runtime.NumCPU(), true
	var allowed []string
	sp := p
	sp.Name = p.Name + " serve"
	sp.Flags = append(slices.Clone(p.Flags),
		cli.Flag{Name: "addr", Usage: "where to listen (default " + defaultAddr + ")", Set: func(v string) error { addr = v; return nil }},
		cli.Flag{Name: "max-runs", Usage: "runs at once; more get 503 (default 2 × CPUs)", Set: func(v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return fmt.Errorf("flag --max-runs: not a count of 1 or more: %q", v)
			}
			maxRuns = n
			return nil
		}},
		cli.Flag{Name: "schedules", Bool: true, Usage: "fire the workflow's schedules (default true; --schedules=false: none)", Set: func(v string) error {
			on, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("flag --schedules: not true or false: %q", v)
			}
			fireSchedules = on
			return nil
		}},
		cli.Flag{Name: "allowed-host", Usage: "a Host name to answer besides loopback ones while serve listens on loopback (repeatable)", Set: func(v string) error {
			allowed = append(allowed, hostName(v))
			return nil
		}})
	sp.Help = &cli.CommandHelp{
		Synopsis: "[--addr HOST:PORT] [--max-runs N] [--allowed-host NAME]... [-INPUT VALUE]... [--inputs FILE.json|-] [run flags]",
		About: `Serve runs the workflow as an HTTP service: POST /run with a JSON object of inputs
(Content-Type: application/json) runs it and answers its result; POST /runs starts a run
and answers its id at once (202), GET /runs/ID answers its result so far and status, GET
/runs lists the runs, POST /runs/ID/events/NAME gives a waiting run its event, POST
/runs/ID/cancel cancels it. GET / is a page of its graph, latest runs and waiting runs; GET
/healthz and GET /metrics (Prometheus) are for its operators. The inputs and flags given here
are the defaults of every run. With --journal, every run is journaled, and a restarted serve
continues each unfinished run of the journal; without, the last 1,000 runs of /runs are
kept in memory.`,
		Omit: []string{"pretty", "run-id", "resume"},
		Trailer: `SIGINT or SIGTERM stops taking runs, lets the running ones finish for up to --timeout
(default 30 s), then cancels them; serve then exits 0. Exit status 2: bad flags or inputs,
or an address it cannot listen on.`,
	}
	inv, err := cli.Parse(sp, args)
	if err != nil {
		return cli.BadCommandLine(sp.Name, err, stderr)
	}
	if inv.Help {
		cli.Usage(sp, stdout)
		return 0
	}
	if inv.Options.RunID != "" || inv.Options.Resume != "" {
		fmt.Fprintf(stderr, "%s: --run-id and --resume name one run; serve names each of its runs (with --journal, each is journaled)\n", sp.Name)
		return 2
	}
	file, err := inv.InputsObject(stdin)
	if err == nil {
		err = inv.Apply(p.Fresh().Described(), file, nil) // checks the defaults given; required inputs may come later
		var missing *cli.MissingInputs
		if errors.As(err, &missing) {
			err = nil
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", sp.Name, err)
		return 2
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(stderr, "%s: flag --addr: %v\n", sp.Name, err)
		return 2
	}
	store := runtimelib.NewMemoryJournal(keptRuns)
	if inv.Options.Journal != "" {
		if store, err = runtimelib.OpenJournal(inv.Options.Journal); err != nil {
			ln.Close()
			fmt.Fprintf(stderr, "%s: %v\n", sp.Name, err)
			return 2
		}
		defer store.Close()
		inv.Options.Store = store // POST /run's runs too: one journal for the process
	}
	s := &server{p: p, inv: inv, file: file, profile: inv.Options.Profile, log: inv.Logger(p.Name, stderr),
		slots: make(chan struct{}, maxRuns), metrics: newServeMetrics(p.Name), latest: &latestRuns{},
		store: store, book: &runBook{byID: map[string]*asyncRun{}}, keys: newKeyGate(), fireSchedules: fireSchedules}
	if p.Shape != nil {
		s.deps = picture.FromShape(p.Shape).Deps() // the timelines' critical paths follow the graph
	}
	if listensOnLoopback(ln) {
		s.allowedHosts = allowed
		s.hostChecked = true
	}
	inv.Options.Profile = true
	inv.Options.Logger = s.log
	flush := p.Traced(context.Background(), &inv.Options)
	defer flush()
	return s.run(ln, stderr)
}

// run serves on ln until a signal, then shuts down: no new runs, running ones finish for up
// to --timeout (default 30 s), then are cancelled; it returns 0.
func (s *server) run(ln net.Listener, stderr io.Writer) int {
	runs, cancelRuns := context.WithCancelCause(context.Background())
	defer cancelRuns(nil)
	s.runs = runs
	s.continueRuns()
	if s.fireSchedules {
		s.startSchedules(runs)
	}
	handler := s.routes()
	if s.hostChecked {
		handler = hostGuard(handler, s.allowedHosts)
	}
	// No WriteTimeout: it would bound a whole run; each answer sets its own (answer).
	srv := &http.Server{Handler: handler, BaseContext: func(net.Listener) context.Context { return runs },
		ReadHeaderTimeout: requestWithin, ReadTimeout: requestWithin, IdleTimeout: idleWithin}
	sig, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stderr, "%s: serving POST /run, /runs, GET /, /healthz and /metrics on http://%s\n", s.p.Name, ln.Addr())
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "%s serve: %v\n", s.p.Name, err)
		return 1
	case <-sig.Done():
	}
	grace := s.inv.Options.Timeout
	if grace <= 0 {
		grace = defaultGrace
	}
	s.log.Warn("shutting down: no new runs; running ones may finish", "grace", grace)
	s.book.close()
	drain(srv, grace, cancelRuns, &s.inflight, s.log)
	return 0
}

// drain stops srv taking requests and lets the running ones finish for up to grace; then it
// cancels the runs still running (runs is the cancel of srv's BaseContext), waits until their
// handlers (inflight) have returned and their answers are sent, and closes the connections.
func drain(srv *http.Server, grace time.Duration, runs context.CancelCauseFunc, inflight *sync.WaitGroup, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Warn("cancelling the runs still running", "cause", err.Error())
		runs(fmt.Errorf("shutting down: still running after the %s grace", grace)) // their handlers answer
		inflight.Wait()
		// A handler that has returned may not have sent its answer yet: Shutdown again waits
		// until every connection is idle (answered), for at most answerGrace; Close cuts what
		// is left (a stalled client).
		answered, cancel := context.WithTimeout(context.Background(), answerGrace)
		defer cancel()
		if srv.Shutdown(answered) != nil {
			srv.Close() //nolint:errcheck // past both graces: the connections are done with
		}
	}
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /run", s.handleRun)
	mux.HandleFunc("POST /runs", s.handleStart)
	mux.HandleFunc("GET /runs", s.handleList)
	mux.HandleFunc("GET /runs/{id}", s.handleGet)
	mux.HandleFunc("POST /runs/{id}/events/{name}", s.handleEvent)
	mux.HandleFunc("POST /runs/{id}/cancel", s.handleCancel)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n") //nolint:errcheck // the client's trouble
	})
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.HandleFunc("GET /{$}", s.handlePage)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A client has answerWithin to take an answer; POST /run's clock starts again when
		// its run is over (answer).
		http.NewResponseController(w).SetWriteDeadline(time.Now().Add(answerWithin)) //nolint:errcheck // idem
		mux.ServeHTTP(w, r)
	})
}

// handleRun is POST /run: one run with the request's inputs over serve's defaults.
func (s *server) handleRun(w http.ResponseWriter, r *http.Request) {
	// The body is read before the run takes a slot, within the server's ReadTimeout: a slow
	// client holds no slot.
	request, ok := s.readInputs(w, r, "POST /run")
	if !ok {
		return
	}
	// The request is in: the run may take as long as it takes, and the read deadline that
	// is left would end the server's watch for the client going away with a timeout, which
	// cancels the request's context.
	http.NewResponseController(w).SetReadDeadline(time.Time{}) //nolint:errcheck // a connection without deadlines keeps none
	fresh, events, ok := s.programOf(w, request)
	if !ok {
		return
	}
	if c := fresh.Concurrency; c != nil {
		leave, err := s.keys.enter(r.Context(), c.Key(), c.Limit, c.Reject)
		var full *errKeyFull
		switch {
		case errors.As(err, &full):
			answer(w, http.StatusTooManyRequests, errorBody(err.Error()))
			return
		case err != nil: // the client went away while the run waited its turn
			return
		}
		defer leave()
	}
	if !s.takeSlot(w) {
		return
	}
	s.inflight.Add(1)
	defer func() {
		<-s.slots
		s.inflight.Done()
	}()
	opts := s.inv.Options
	if len(s.p.Events) > 0 { // its Wait nodes wait: through serve's journal, as /runs' runs do
		opts.Store, opts.RunID = s.store, uuid.New()
	}
	s.metrics.running.Inc()
	started := time.Now()
	res := fresh.Run(r.Context(), runtimelib.WithOptions(opts), runtimelib.WithEvents(events))
	s.metrics.running.Dec()
	if res.Refused != nil { // the journal cannot record the run
		answer(w, http.StatusInternalServerError, errorBody(res.Refused.Error()))
		return
	}
	if len(res.Waiting) > 0 { // answered now, waiting: /runs/ID/events/NAME goes on with it
		s.book.waitingRun(s, &asyncRun{id: res.WorkflowID, request: request, started: started}, res)
	} else {
		s.latest.add(res, s.metrics.record(res, r.Context().Err() != nil), s.deps)
	}
	shown := *res
	if !s.profile {
		shown.Metrics = nil
	}
	out, err := shown.JSON()
	if err != nil {
		answer(w, http.StatusInternalServerError, errorBody("encoding the result: "+err.Error()))
		return
	}
	answer(w, http.StatusOK, out)
}

// readRequest reads a POST /run body: a JSON object of inputs (an empty body is {}), at most
// maxBody bytes. On failure it returns the status to answer with.
func readRequest(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, int, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("the body is over %d MiB; pass fewer or smaller inputs", maxBody>>20)
	case err != nil:
		return nil, http.StatusBadRequest, fmt.Errorf("reading the body: %v", err)
	case len(data) == 0:
		return nil, 0, nil
	}
	obj, err := cli.InputsOf(data)
	switch {
	case errors.Is(err, cli.ErrNotInputs):
		return nil, http.StatusBadRequest, errors.New("the body is not a JSON object of inputs")
	case err != nil:
		return nil, http.StatusBadRequest, fmt.Errorf("the body: %v", err)
	}
	return obj, 0, nil
}

// errorBody is the answer {"error": msg}, msg shortened to maxErrorText bytes.
func errorBody(msg string) []byte {
	out, _ := json.Marshal(map[string]string{"error": shortened(msg)})
	return out
}

// answer writes a JSON answer, which the client has answerWithin to take.
func answer(w http.ResponseWriter, status int, body []byte) {
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(answerWithin)) //nolint:errcheck // idem
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(body, '\n')) //nolint:errcheck // a client that left
}
