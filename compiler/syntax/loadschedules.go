package syntax

import (
	"strings"
	"time"
	_ "time/tzdata" // a timezone is checked the same on a machine without zoneinfo files

	"gopkg.in/yaml.v3"

	"github.com/kailashgen/kailashgen/runtimelib/impl/cron"
)

// Schedule is one entry of schedules: (format section 15): runs started by the clock under
// serve, on a cron spec or every interval, with inputs.
type Schedule struct {
	Name     string
	Pos      Pos
	Cron     string // five fields or a descriptor (@daily); "" with Every
	CronPos  Pos
	Every    time.Duration // 0 with Cron
	Timezone string        // "" for UTC
	Inputs   []ScheduleInput
	Overlap  string // skip (default), queue_one or allow
}

// ScheduleInput is one input a schedule gives its runs.
type ScheduleInput = NamedValue

// Overlap policies of a schedule.
const (
	OverlapSkip     = "skip"
	OverlapQueueOne = "queue_one"
	OverlapAllow    = "allow"
)

// schedules reads the top-level schedules: NAME: {cron | every, timezone, inputs, overlap}.
func (l *loader) schedules(n *yaml.Node) []*Schedule {
	fields, ok := l.mapping(n, "schedules", nil)
	if !ok {
		return nil
	}
	var out []*Schedule
	for _, f := range fields {
		if why := CheckName(f.key); why != "" {
			l.Add(f.pos, "schedule name %s", why)
			continue
		}
		if s := l.schedule(f); s != nil {
			out = append(out, s)
		}
	}
	return out
}

func (l *loader) schedule(f field) *Schedule {
	what := "schedule " + f.key
	fields, ok := l.mapping(f.value, what, []string{"cron", "every", "timezone", "inputs", "overlap"})
	if !ok {
		return nil
	}
	s := &Schedule{Name: f.key, Pos: f.pos, Overlap: OverlapSkip}
	for _, g := range fields {
		switch g.key {
		case "cron":
			if text, ok := l.str(g.value, what+": cron"); ok {
				s.Cron, s.CronPos = text, NodePos(g.value)
				if every, ok := strings.CutPrefix(text, "@every"); ok && every != "" {
					l.Add(NodePos(g.value), "%s: cron: write every: %s instead of @every", what, strings.TrimSpace(every))
				} else if err := cron.Check(text); err != nil {
					l.Add(NodePos(g.value), "%s: cron: %q is not a cron expression: %v (five fields, minute hour day month weekday, like \"0 2 * * *\", or @hourly, @daily, @weekly, @monthly)", what, text, err)
				}
			}
		case "every":
			s.Every = l.duration(g.value, what+": every", false)
		case "timezone":
			if tz, ok := l.str(g.value, what+": timezone"); ok {
				if _, err := time.LoadLocation(tz); err != nil || tz == "" || tz == "Local" {
					l.Add(NodePos(g.value), "%s: timezone: %q is not an IANA time zone (like Europe/Berlin or UTC)", what, tz)
				} else {
					s.Timezone = tz
				}
			}
		case "inputs":
			for _, in := range l.mappingOrNil(g.value, what+": inputs") {
				s.Inputs = append(s.Inputs, ScheduleInput{Name: in.key, Pos: in.pos, Value: Resolve(in.value)})
			}
		case "overlap":
			switch o, _ := l.str(g.value, what+": overlap"); o {
			case OverlapSkip, OverlapQueueOne, OverlapAllow:
				s.Overlap = o
			default:
				l.Add(NodePos(g.value), "%s: overlap must be skip, queue_one or allow, not %s", what, Describe(g.value))
			}
		}
	}
	switch {
	case has(fields, "cron") && has(fields, "every"):
		l.Add(f.pos, "%s: cron: and every: both given; a schedule has one", what)
	case !has(fields, "cron") && !has(fields, "every"):
		l.Add(f.pos, "%s: needs cron: (like \"0 2 * * *\") or every: (like 15m)", what)
	case has(fields, "every") && has(fields, "timezone"):
		l.Add(f.pos, "%s: timezone: belongs to a cron schedule; every: counts from serve's start", what)
	}
	return s
}

// mappingOrNil is the fields of a mapping, or none (reported) when n is not one.
func (l *loader) mappingOrNil(n *yaml.Node, what string) []field {
	fields, _ := l.mapping(n, what, nil)
	return fields
}

// scheduleInputs checks each schedule's inputs against the workflow's, as an --inputs file is
// (GivenInputs). Their values' types are the check's (check.ScheduleInputs).
func (l *loader) scheduleInputs(w *Workflow) {
	for _, s := range w.Schedules {
		GivenInputs(&l.Errors, w, s.Inputs, s.Pos, "schedule "+s.Name)
	}
}

// GivenInputs checks inputs given to a run of w by a schedule or a test (what), as an --inputs
// file's are: no unknown input (at its name), and every input without a default given (at, the
// schedule's or test's name). Their values' types are the check's.
func GivenInputs(e *Errors, w *Workflow, given []NamedValue, at Pos, what string) {
	names := make([]string, len(w.Inputs))
	for i, in := range w.Inputs {
		names[i] = in.Name
	}
	set := map[string]bool{}
	for _, in := range given {
		set[in.Name] = true
		if FindPort(w.Inputs, in.Name) == nil {
			e.Add(in.Pos, "%s: inputs: unknown input %q%s", what, in.Name, SuggestName(in.Name, names))
		}
	}
	for _, in := range w.Inputs {
		if in.Default == nil && !set[in.Name] {
			e.Add(at, "%s: inputs: input %s has no default; give it (inputs: {%s: ...})", what, in.Name, in.Name)
		}
	}
}
