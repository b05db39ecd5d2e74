package shape

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func base() *Shape {
	two := 2
	return &Shape{
		Workflow:  "orders",
		Inputs:    []Port{{Name: "rate", Type: "float64"}},
		Resources: []Resource{{Name: "db", Kind: "sql"}},
		Nodes: []Node{
			{ID: "load", Kind: "Code", Outputs: []Port{{Name: "rows", Type: "[]int"}}, Uses: []string{"db"}},
			{ID: "enrich", Kind: "Code", Loop: &two,
				Inputs:  []Input{{Name: "rows", Type: "[]int", From: "load.rows"}, {Name: "rate", Type: "float64", From: "inputs.rate"}},
				Outputs: []Port{{Name: "total", Type: "float64"}}},
		},
	}
}

func TestDiffNamesEveryDifferenceInWorkflowOrder(t *testing.T) {
	old, new := base(), base()
	assert.Empty(t, Diff(old, new))
	assert.Equal(t, old.Fingerprint(), new.Fingerprint())

	five := 5
	new.Nodes[1].Inputs[1].Type = "int"
	new.Nodes[1].Inputs[0].From = "inputs.rows"
	new.Nodes[1].Loop = &five
	new.Nodes[0].Uses = nil
	new.Nodes = append(new.Nodes, Node{ID: "report", Kind: "Func", Func: "example.com/r.Report"})
	new.Inputs[0].Type = "int"
	assert.Equal(t, []string{
		"input rate changed from float64 to int",
		"node load: no longer uses resource db",
		"node enrich: loop max changed from 2 to 5",
		"node enrich: input rows now reads inputs.rows, was load.rows",
		"node enrich: input rate changed from float64 to int",
		"node report added",
	}, Diff(old, new))
	assert.NotEqual(t, old.Fingerprint(), new.Fingerprint())
}

func TestDiffNamesKindsRemovalsAndIncludedWorkflows(t *testing.T) {
	old, new := base(), base()
	old.Nodes = append(old.Nodes, Node{ID: "sub", Kind: "Workflow", Workflow: base()})
	new.Nodes = append(new.Nodes[1:], Node{ID: "sub", Kind: "Workflow", Workflow: base()})
	new.Nodes[1].Workflow.Nodes[0].Outputs[0].Type = "[]string"
	new.Nodes[0].Kind = "Func"
	new.Resources[0].Kind = "redis"
	assert.Equal(t, []string{
		"resource db: kind changed from sql to redis",
		"node load removed",
		"node enrich: kind changed from Code to Func",
		"node sub: workflow orders: node load: output rows changed from []int to []string",
	}, Diff(old, new))
}

func TestDiffNamesAChangeOfOrderAlone(t *testing.T) {
	old, new := base(), base()
	new.Nodes[0], new.Nodes[1] = new.Nodes[1], new.Nodes[0]
	assert.Equal(t, []string{`the order changed: "node enrich Code" now comes where "node load Code" was`}, Diff(old, new))
}

func TestTextIsTheFingerprintedForm(t *testing.T) {
	assert.Equal(t, "workflow orders\ninput rate float64\nresource db sql\nnode load Code\n  out rows []int\n  uses db\n"+
		"node enrich Code\n  loop 2\n  in rows []int <- load.rows\n  in rate float64 <- inputs.rate\n  out total float64\n", base().Text())
}
