package impl

import (
	"fmt"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// IncludedError is the error of a Workflow node (format section 11) whose workflow did not
// succeed: the first of its failed nodes in the order of its file ("node authorize failed:
// card declined"), else the first that was skipped; order is its node ids in that order. It
// ranges over no map: a Temporal workflow calls it (see temporalrt.ReceiveChild).
func IncludedError(r runtimelib.Result, order []string) error {
	for _, id := range order {
		if msg, ok := r.Errors[id]; ok {
			return fmt.Errorf("node %s failed: %s", id, msg)
		}
	}
	if len(r.Skipped) > 0 {
		return fmt.Errorf("node %s was skipped", r.Skipped[0])
	}
	if len(r.Errors) > 0 { // a failure that no node of order names: the run's own
		return fmt.Errorf("its workflow failed, with %d errors that name no node of it", len(r.Errors))
	}
	return nil
}
