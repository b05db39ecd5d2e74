package analysis

// Report is what `kailashgen analyze` prints: the shape of a workflow's dependency graph.
type Report struct {
	Workflow     string     `json:"workflow"`
	Nodes        int        `json:"nodes"`
	Edges        int        `json:"edges"`
	Tiers        [][]string `json:"tiers"`
	Width        int        `json:"width"`
	Depth        int        `json:"depth"`
	CriticalPath []string   `json:"critical_path"`
}

// Analyze builds the report of an acyclic graph whose nodes are named ids. conds (nil
// without Switch nodes) makes the cases of each Switch alternatives: the width is the most
// nodes of a tier that one run can run, and the critical path the longest over any one
// choice, without the nodes that never run.
func Analyze(workflow string, ids []string, g *Graph, conds Conditions) Report {
	r := Report{Workflow: workflow, Nodes: g.Len(), Edges: g.Edges(), Tiers: [][]string{}, CriticalPath: []string{}}
	for _, tier := range g.Tiers() {
		names := make([]string, len(tier))
		for i, v := range tier {
			names[i] = ids[v]
		}
		r.Tiers = append(r.Tiers, names)
		r.Width = max(r.Width, conds.width(tier))
	}
	r.Depth = len(r.Tiers)
	path, _ := g.CriticalPath(conds.Weights())
	for _, v := range path {
		r.CriticalPath = append(r.CriticalPath, ids[v])
	}
	return r
}
