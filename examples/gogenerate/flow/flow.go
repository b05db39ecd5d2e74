// Package flow holds the order workflow: workflow.yaml, compiled by go generate into
// order_flow_gen.go, and the functions of this package that the workflow calls by bare name.
package flow

//go:generate go tool kailashgen gen workflow.yaml -o order_flow_gen.go

// Grade names a customer's tier from what they spend.
func Grade(spent float64) (tier string) {
	switch {
	case spent >= 500:
		return "gold"
	case spent >= 150:
		return "silver"
	}
	return "bronze"
}
