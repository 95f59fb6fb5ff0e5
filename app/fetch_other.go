//go:build !(js && wasm)

package app

import "net/http"

// fetchSend sends r with http.DefaultClient: outside the browser (the
// server's build of this package, native tests) there is no Fetch API.
func fetchSend(r *http.Request) (*http.Response, error) { return http.DefaultClient.Do(r) }
