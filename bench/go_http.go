// The hello world of Swoole's performance page in Go net/http, for
// bench/php_http.sh: the same three headers and 24-byte body as
// examples/http_server.php. Run with GOMAXPROCS=1.
//
//	go run bench/go_http.go [port]
package main

import (
	"net/http"
	"os"
)

func main() {
	port := "9501"
	if len(os.Args) > 1 {
		port = os.Args[1]
	}
	body := []byte("<h1>\nHello Swoole.\n</h1>")
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Last-Modified", "Thu, 18 Jun 2015 10:24:27 GMT")
		h.Set("E-Tag", "55829c5b-17")
		h.Set("Accept-Ranges", "bytes")
		w.Write(body)
	})
	if err := http.ListenAndServe("127.0.0.1:"+port, nil); err != nil {
		panic(err)
	}
}
