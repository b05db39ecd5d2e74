package temporalrt

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Carried are the outputs of a node that ran in the workflow itself, not in an activity (a
// Wait or a Sleep node, format section 14): the run's result carries them, since no
// activity's completion in the history holds them (see outputsOf).
type Carried struct{ Outputs any }

// WaitFor is the start of a Wait node: a future that its event's signal resolves, with the
// payload that the signal carries, decoded as T by the SDK; or, when timeout is positive and
// passes first, the node's failure. A signal that came before the node started waits in its
// channel, and is taken when the node starts; one whose payload does not decode as T (sent by
// another program: the event command checks it) is logged by the SDK and passed over. The
// run's cancellation interrupts the wait.
func WaitFor[T any](ctx workflow.Context, event string, timeout time.Duration) workflow.Future {
	f, set := workflow.NewFuture(ctx)
	workflow.Go(ctx, func(gctx workflow.Context) {
		sel := workflow.NewSelector(gctx)
		sel.AddReceive(workflow.GetSignalChannel(gctx, event), func(c workflow.ReceiveChannel, _ bool) {
			var payload T
			c.Receive(gctx, &payload)
			set.Set(payload, nil)
		})
		if timeout > 0 {
			sel.AddFuture(workflow.NewTimer(gctx, timeout), func(workflow.Future) {
				set.Set(nil, fmt.Errorf("no event %s within %s", event, timeout))
			})
		}
		sel.AddReceive(gctx.Done(), func(workflow.ReceiveChannel, bool) {
			set.Set(nil, temporal.NewCanceledError())
		})
		sel.Select(gctx)
	})
	return f
}

// ReceiveEvent ends a Wait node: it stores the event's payload as its output event, and
// returns the node's outputs, which the result carries.
func ReceiveEvent[Out, T any](ctx workflow.Context, f workflow.Future, out *Out, event *T) (any, Usage, error) {
	if err := f.Get(ctx, event); err != nil {
		return nil, Usage{}, err
	}
	return Carried{*out}, Usage{}, nil
}

// SleepFor is the start of a Sleep node for its duration: a durable timer of the workflow.
func SleepFor(ctx workflow.Context, d time.Duration) workflow.Future {
	if d <= 0 {
		f, set := workflow.NewFuture(ctx)
		set.Set(nil, nil)
		return f
	}
	return workflow.NewTimer(ctx, d)
}

// SleepUntil is the start of a Sleep node for its until: a durable timer to that time, by the
// workflow's clock.
func SleepUntil(ctx workflow.Context, t time.Time) workflow.Future {
	return SleepFor(ctx, t.Sub(workflow.Now(ctx)))
}

// ReceiveTimer ends a Sleep node once its timer fired, with its (empty) outputs.
func ReceiveTimer[Out any](ctx workflow.Context, f workflow.Future, out *Out) (any, Usage, error) {
	if err := f.Get(ctx, nil); err != nil {
		return nil, Usage{}, err
	}
	return Carried{*out}, Usage{}, nil
}
