package temporalrt

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"

	"github.com/kailashgen/kailashgen/runtimelib/cli"
)

// eventCommand is event --id ID NAME JSON (format section 14): it checks the payload against
// the Wait node's type, then sends the event to the run as a signal of its name. Exit 0 once
// sent; 2 for bad flags, an unknown event, a payload of the wrong type or an unknown run; 1
// for a run that has ended.
func eventCommand(p Program, args []string, stderr io.Writer) int {
	var fs *flag.FlagSet
	c, id, _, status := byID(p, "event", args, stderr, func(f *flag.FlagSet) { fs = f })
	if c == nil {
		return status
	}
	defer c.Close()
	if fs.NArg() != 2 {
		fmt.Fprintf(stderr, "%s event: give the event's name and its payload as JSON after the flags: %s event --id ID NAME JSON\n", p.Name, p.Name)
		return 2
	}
	name, payload := fs.Arg(0), []byte(fs.Arg(1))
	if err := (cli.Program{Events: p.Events}).CheckEvent(name, payload); err != nil {
		fmt.Fprintf(stderr, "%s event: %v\n", p.Name, err)
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := c.SignalWorkflow(ctx, id, "", name, json.RawMessage(payload))
	var notFound *serviceerror.NotFound
	switch {
	case errors.As(err, &notFound):
		if d, derr := c.DescribeWorkflow(ctx, id, ""); derr == nil && d.Status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			fmt.Fprintf(stderr, "%s event: run %s has ended (%s); an event can no longer change it\n", p.Name, id, d.Status)
			return 1
		}
		fmt.Fprintf(stderr, "%s event: no run %s on the server\n", p.Name, id)
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "%s event: %v\n", p.Name, err)
		return 2
	}
	fmt.Fprintf(stderr, "%s event: sent event %s to run %s\n", p.Name, name, id)
	return 0
}
