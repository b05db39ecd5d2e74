package runtimelib

import "fmt"

// checkChain checks the policies of the fused chain that starts at node head (package flow
// checks its shape): one cpu policy, and no timeout or retries, which only the scheduler
// applies. It panics on a chain that is wrong: a generated table's never is.
func checkChain(nodes []Node, head int) {
	for k := -1; k < len(nodes[head].Then); k++ {
		c := head
		if k >= 0 {
			c = nodes[head].Then[k]
		}
		if c < 0 || c >= len(nodes) {
			panic(fmt.Sprintf("runtimelib: node %s: Then is not a chain at node %d", nodes[head].ID, c))
		}
		if nodes[c].Timeout > 0 || nodes[c].Retry.Attempts > 1 {
			panic(fmt.Sprintf("runtimelib: node %s of a fused chain has a timeout or retries", nodes[c].ID))
		}
		if nodes[c].CPU != nodes[head].CPU || (c != head && nodes[c].Needs != nil) {
			panic(fmt.Sprintf("runtimelib: node %s: Then is not a chain at node %d", nodes[head].ID, c))
		}
	}
}
