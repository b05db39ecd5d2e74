// Package closest finds the name a misspelt one was most likely meant to be, for the "did
// you mean" of error messages. It serves both kailashgen (misspelt commands, nodes, ports,
// keys) and compiled workflow binaries (misspelt flags).
package closest

// Name returns the candidate nearest to name by edit distance, if it is closer than
// maxDistance edits, or "".
func Name(name string, candidates []string, maxDistance int) string {
	best, bestDist := "", maxDistance
	for _, c := range candidates {
		if d := Distance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Distance is the Levenshtein distance between a and b: the fewest single-byte insertions,
// deletions and substitutions that turn one into the other.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
