// Package userapi is the small user API of the http_redis_cache example, served by fakeapi
// and, in the tests, by net/http/httptest.
package userapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// Handler serves GET /users/ID.json and GET /users/ID/orders.json; it counts the profile
// requests in profiles when that is not nil.
func Handler(profiles *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimPrefix(r.URL.Path, "/users/")
		if rest, ok := strings.CutSuffix(path, "/orders.json"); ok {
			id, err := strconv.Atoi(rest)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			writeJSON(w, []map[string]any{{"order_id": id*100 + 1, "total": 12.5}, {"order_id": id*100 + 2, "total": 40}})
			return
		}
		id, err := strconv.Atoi(strings.TrimSuffix(path, ".json"))
		if err != nil || !strings.HasSuffix(path, ".json") {
			http.NotFound(w, r)
			return
		}
		if profiles != nil {
			profiles.Add(1)
		}
		writeJSON(w, map[string]any{"id": id, "name": fmt.Sprintf("User %d", id)})
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
