package app

import (
	"net/http"
	"net/url"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/client"
)

var _ API = (*client.Client)(nil)

// pageClient returns a client of the server the page came from, sending
// its requests with hc (nil means http.DefaultClient). The base URL is
// absolute (scheme and host of the page): net/http in wasm does not
// resolve relative URLs against the page. It is the one place that
// builds that client; call it only in the browser (app.IsClient).
func pageClient(hc *http.Client) *client.Client {
	u := app.Window().URL()
	return client.New((&url.URL{Scheme: u.Scheme, Host: u.Host}).String(), hc)
}
