package app

import (
	"net/url"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/client"
)

var _ API = (*client.Client)(nil)

// pageClient returns a client of the server the page came from, sending
// its requests with send (fetchSend, or a wrapper of it). The base URL is
// absolute (scheme and host of the page): net/http in wasm does not
// resolve relative URLs against the page. It is the one place that
// builds that client; call it only in the browser (app.IsClient).
func pageClient(send client.SendFunc) *client.Client {
	u := app.Window().URL()
	return client.NewSend((&url.URL{Scheme: u.Scheme, Host: u.Host}).String(), send)
}
