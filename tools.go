//go:build tools

// Package claimmark pins the modules the project's packages use, so that
// `go mod tidy` run while a package is being written does not drop them.
package claimmark

import (
	_ "github.com/blevesearch/bleve/v2"
	_ "github.com/chromedp/chromedp"
	_ "github.com/maxence-charriere/go-app/v10/pkg/app"
	_ "go.etcd.io/bbolt"
	_ "golang.org/x/net/html"
	_ "golang.org/x/text/unicode/norm"
)
