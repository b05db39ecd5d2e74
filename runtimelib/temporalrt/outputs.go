package temporalrt

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
)

// outputsOf reads the outputs of a run's nodes from its history: each activity's completion
// (the node's Reply), and the histories of its parts, the child workflows it started. The run
// itself returns no outputs: its result is one payload, which the server caps (2 MB by
// default) however many nodes it holds, while each node's outputs are a payload of their own.
// A node that ran twice (its worker died) completed once.
func outputsOf(ctx context.Context, c client.Client, id, runID string) (map[string]json.RawMessage, error) {
	outputs := map[string]json.RawMessage{}
	if err := readOutputs(ctx, c, id, runID, outputs); err != nil {
		return nil, fmt.Errorf("reading the outputs of run %s from its history: %w", id, err)
	}
	return outputs, nil
}

func readOutputs(ctx context.Context, c client.Client, id, runID string, outputs map[string]json.RawMessage) error {
	scheduled := map[int64]string{} // event id → node id
	children := map[int64]string{}  // a Workflow node's child workflow: its initiated event id → node id
	var parts [][2]string
	it := c.GetWorkflowHistory(ctx, id, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return err
		}
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			scheduled[ev.GetEventId()] = nodeOfActivity(ev.GetActivityTaskScheduledEventAttributes().GetActivityId())
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
			a := ev.GetActivityTaskCompletedEventAttributes()
			var reply struct {
				Outputs json.RawMessage `json:"outputs"`
				Chain   []ChainNode     `json:"chain"` // a fused chain's activity: its nodes' outputs
			}
			if err := converter.GetDefaultDataConverter().FromPayloads(a.GetResult(), &reply); err != nil {
				return fmt.Errorf("node %s: %w", scheduled[a.GetScheduledEventId()], err)
			}
			if reply.Chain == nil {
				outputs[scheduled[a.GetScheduledEventId()]] = reply.Outputs
			}
			for _, node := range reply.Chain {
				if node.Error == "" {
					outputs[node.Node] = node.Outputs
				}
			}
		case enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED:
			a := ev.GetChildWorkflowExecutionStartedEventAttributes()
			w := a.GetWorkflowExecution()
			if node := nodeOfChild(w.GetWorkflowId()); node != "" {
				children[a.GetInitiatedEventId()] = node
			} else {
				parts = append(parts, [2]string{w.GetWorkflowId(), w.GetRunId()})
			}
		case enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED:
			a := ev.GetChildWorkflowExecutionCompletedEventAttributes()
			node, ok := children[a.GetInitiatedEventId()]
			if !ok {
				continue
			}
			var result struct {
				Outputs json.RawMessage `json:"outputs"`
			}
			if err := converter.GetDefaultDataConverter().FromPayloads(a.GetResult(), &result); err != nil {
				return fmt.Errorf("node %s: %w", node, err)
			}
			outputs[node] = result.Outputs
		}
	}
	for _, p := range parts {
		if err := readOutputs(ctx, c, p[0], p[1], outputs); err != nil {
			return err
		}
	}
	return nil
}

// nodeOfActivity is the node id of an activity id: the node's id, with #N after it when the
// node's activity ran again after its worker died (see run.startNode).
func nodeOfActivity(activityID string) string {
	id, _, _ := strings.Cut(activityID, "#")
	return id
}
