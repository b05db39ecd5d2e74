// Package shop is the example's business logic: plain Go functions and types that know
// nothing of workflows.
package shop

import (
	"context"
	"fmt"
	"sort"
)

// Order is one order of a customer.
type Order struct {
	ID       string  `json:"id"`
	Customer string  `json:"customer"`
	Amount   float64 `json:"amount"`
	Items    int     `json:"items"`
}

var orders = []Order{
	{"o-1", "ada", 120.50, 3},
	{"o-2", "ada", 35.00, 1},
	{"o-3", "grace", 990.00, 12},
	{"o-4", "ada", 64.25, 2},
}

// LoadOrders returns a customer's orders, as a database query would.
func LoadOrders(ctx context.Context, customer string) ([]Order, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var found []Order
	for _, o := range orders {
		if o.Customer == customer {
			found = append(found, o)
		}
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("no orders for customer %q", customer)
	}
	return found, nil
}

// Summarize adds up orders.
func Summarize(orders []Order) (total float64, count int, largest Order) {
	for _, o := range orders {
		total += o.Amount
		if o.Amount > largest.Amount {
			largest = o
		}
	}
	return total, len(orders), largest
}

// ApplyDiscount takes a rate (0.1 for 10%) off a total.
func ApplyDiscount(total, rate float64) float64 { return total * (1 - rate) }

// TopItems lists the order ids by item count, most first.
func TopItems(orders []Order) []string {
	sorted := append([]Order(nil), orders...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Items > sorted[j].Items })
	ids := make([]string, len(sorted))
	for i, o := range sorted {
		ids[i] = o.ID
	}
	return ids
}
