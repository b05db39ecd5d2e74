// Command fakeapi serves the little user API that the http_redis_cache example reads, on
// loopback: GET /users/ID.json and GET /users/ID/orders.json.
//
//	go run ./examples/http_redis_cache/fakeapi -addr 127.0.0.1:8080
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/kailashgen/kailashgen/examples/http_redis_cache/userapi"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "where to listen")
	flag.Parse()
	log.Printf("serving the user API on http://%s", *addr)
	log.Fatal(http.ListenAndServe(*addr, userapi.Handler(nil)))
}
