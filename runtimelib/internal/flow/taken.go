package flow

// TakenCase is the case that a node's outputs took: a Switch node's outputs have a method
// TakenCase, 1 for the first case, 0 none; any other node's outputs took 0.
func TakenCase(outputs any) int {
	if s, ok := outputs.(interface{ TakenCase() int }); ok {
		return s.TakenCase()
	}
	return 0
}
