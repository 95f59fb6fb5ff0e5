package app

import (
	"net/url"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/client"
)

var _ API = (*client.Client)(nil)

// newBrowserAPI returns a client of the server the page came from. The
// base URL is absolute (scheme and host of the page): net/http in wasm
// does not resolve relative URLs against the page.
func newBrowserAPI() API {
	u := app.Window().URL()
	base := (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
	return client.New(base, nil)
}
