package temporalrt

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/kailashgen/kailashgen/runtimelib/cli"
)

// Schedule is one of the workflow's schedules (format section 15), as the schedule command
// makes a Temporal Schedule of it.
type Schedule struct {
	Name     string
	Cron     string        // or:
	Every    time.Duration // an interval
	Timezone string
	Inputs   string // a JSON object of inputs, checked at build time
	Overlap  string // skip, queue_one or allow
}

// overlapPolicies are the Temporal overlap policies of the format's.
var overlapPolicies = map[string]enumspb.ScheduleOverlapPolicy{
	"skip":      enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
	"queue_one": enumspb.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE,
	"allow":     enumspb.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL,
}

// ScheduleID is the id of the Temporal Schedule of a workflow's schedule: NAME.SCHEDULE.
func ScheduleID(workflow, schedule string) string { return workflow + "." + schedule }

// scheduleCommand is schedule apply | list (format section 15): apply creates or updates one
// Temporal Schedule per entry of the file and deletes this workflow's others; list prints
// them with their next firing times.
func scheduleCommand(p Program, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "apply" && args[0] != "list") {
		fmt.Fprintf(stderr, "%s schedule: apply or list: %s schedule apply|list [--address A] [--namespace N] [--task-queue Q]\n", p.Name, p.Name)
		return 2
	}
	fs := flag.NewFlagSet(p.Name+" schedule "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var conn connection
	conn.flags(fs, p.Name)
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s schedule %s: unexpected operand %q\n", p.Name, args[0], fs.Arg(0))
		return 2
	}
	c, err := conn.dial(warnings(stderr))
	if err != nil {
		fmt.Fprintf(stderr, "%s schedule: %v\n", p.Name, conn.unreachable(err))
		return 2
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if args[0] == "list" {
		return listSchedules(ctx, c, p, stdout, stderr)
	}
	return applySchedules(ctx, c, p, conn.queue, stderr)
}

// applySchedules creates or updates the Temporal Schedule of each of p's schedules, and deletes
// those of p's workflow (ids NAME.*) that the file no longer has.
func applySchedules(ctx context.Context, c client.Client, p Program, queue string, stderr io.Writer) int {
	sc := c.ScheduleClient()
	want := map[string]bool{}
	for _, s := range p.Schedules {
		id := ScheduleID(p.Name, s.Name)
		want[id] = true
		inputs, err := p.scheduleInputs(s)
		if err != nil {
			fmt.Fprintf(stderr, "%s schedule apply: %s: %v\n", p.Name, s.Name, err)
			return 1
		}
		action := &client.ScheduleWorkflowAction{ID: id, Workflow: WorkflowType(p.Name), TaskQueue: queue,
			Args: []any{inputs, Options{}}, Memo: map[string]any{FingerprintMemo: p.Shape.Fingerprint()}}
		spec := client.ScheduleSpec{TimeZoneName: s.Timezone}
		if s.Cron != "" {
			spec.CronExpressions = []string{s.Cron}
		} else {
			spec.Intervals = []client.ScheduleIntervalSpec{{Every: s.Every}}
		}
		_, err = sc.Create(ctx, client.ScheduleOptions{ID: id, Spec: spec, Action: action, Overlap: overlapPolicies[s.Overlap]})
		if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
			err = sc.GetHandle(ctx, id).Update(ctx, client.ScheduleUpdateOptions{DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
				sched := in.Description.Schedule
				sched.Action, sched.Spec = action, &spec
				if sched.Policy == nil {
					sched.Policy = &client.SchedulePolicies{}
				}
				sched.Policy.Overlap = overlapPolicies[s.Overlap]
				return &client.ScheduleUpdate{Schedule: &sched}, nil
			}})
		}
		if err != nil {
			fmt.Fprintf(stderr, "%s schedule apply: %s: %v\n", p.Name, id, err)
			return 1
		}
		fmt.Fprintf(stderr, "%s schedule apply: %s applied\n", p.Name, id)
	}
	ids, err := workflowSchedules(ctx, c, p.Name)
	if err != nil {
		fmt.Fprintf(stderr, "%s schedule apply: listing the schedules: %v\n", p.Name, err)
		return 1
	}
	for _, id := range ids {
		if want[id] {
			continue
		}
		if err := sc.GetHandle(ctx, id).Delete(ctx); err != nil {
			fmt.Fprintf(stderr, "%s schedule apply: deleting %s: %v\n", p.Name, id, err)
			return 1
		}
		fmt.Fprintf(stderr, "%s schedule apply: %s deleted (no longer in the workflow file)\n", p.Name, id)
	}
	return 0
}

// workflowSchedules are the ids of the Temporal Schedules of workflow name (NAME.*), sorted.
func workflowSchedules(ctx context.Context, c client.Client, name string) ([]string, error) {
	it, err := c.ScheduleClient().List(ctx, client.ScheduleListOptions{})
	if err != nil {
		return nil, err
	}
	var ids []string
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(e.ID, name+".") {
			ids = append(ids, e.ID)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// listSchedules prints the Temporal Schedules of p's workflow, each with its next firing:
// {"schedules": [{"id", "next"}]}.
func listSchedules(ctx context.Context, c client.Client, p Program, stdout, stderr io.Writer) int {
	ids, err := workflowSchedules(ctx, c, p.Name)
	if err != nil {
		fmt.Fprintf(stderr, "%s schedule list: %v\n", p.Name, err)
		return 1
	}
	type entry struct {
		ID   string  `json:"id"`
		Next *string `json:"next"`
	}
	list := []entry{}
	for _, id := range ids {
		d, err := c.ScheduleClient().GetHandle(ctx, id).Describe(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "%s schedule list: %s: %v\n", p.Name, id, err)
			return 1
		}
		e := entry{ID: id}
		if next := d.Info.NextActionTimes; len(next) > 0 {
			t := next[0].UTC().Format(time.RFC3339)
			e.Next = &t
		}
		list = append(list, e)
	}
	out, _ := json.Marshal(map[string]any{"schedules": list})
	fmt.Fprintf(stdout, "%s\n", out)
	return 0
}

// scheduleInputs are the workflow's inputs of a schedule's runs: each input's default, then
// the schedule's own, as one JSON object (the workflow's argument).
func (p Program) scheduleInputs(s Schedule) (json.RawMessage, error) {
	given, err := cli.InputsOf([]byte(s.Inputs))
	if err != nil {
		return nil, err
	}
	all := map[string]json.RawMessage{}
	for _, in := range p.Shape.Inputs {
		if in.Default != "" {
			all[in.Name] = json.RawMessage(in.Default)
		}
	}
	for name, v := range given {
		all[name] = v
	}
	return json.Marshal(all)
}
