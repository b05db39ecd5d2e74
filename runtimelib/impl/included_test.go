package impl

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kailashgen/kailashgen/runtimelib"
)

func TestAnIncludedWorkflowsErrorNamesItsFirstFailedNode(t *testing.T) {
	order := []string{"authorize", "capture", "notify"}
	r := runtimelib.Result{Errors: map[string]string{"notify": "smtp down", "capture": "card declined"}, Skipped: []string{}}
	assert.EqualError(t, IncludedError(r, order), "node capture failed: card declined", "the first in the file's order, not by name")
	assert.EqualError(t, IncludedError(runtimelib.Result{Errors: map[string]string{}, Skipped: []string{"notify"}}, order), "node notify was skipped")
	assert.EqualError(t, IncludedError(runtimelib.Result{Errors: map[string]string{"workflow": "terminated"}}, order), "its workflow failed, with 1 errors that name no node of it")
	assert.NoError(t, IncludedError(runtimelib.Result{Errors: map[string]string{}, Skipped: []string{}, NotTaken: []string{"notify"}}, order), "not taken is no failure")
}
