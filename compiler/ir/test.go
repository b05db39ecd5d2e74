package ir

// Test is one test of a workflow's test file (format section 16) as a binary built by
// kailashgen test compiles it in: the mocks that replace nodes in that test's run.
type Test struct {
	Name  string
	Mocks []Mock
}

// Mock replaces Node in a test's run: it succeeds with Outputs, a JSON object of the node's
// outputs by name (checked to decode into them), or fails with Error when Fails.
type Mock struct {
	Node    *Node
	Outputs string
	Error   string
	Fails   bool
}
