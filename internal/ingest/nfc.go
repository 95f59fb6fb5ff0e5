//go:build !js

package ingest

import "golang.org/x/text/unicode/norm"

// nfc returns s in Unicode Normalization Form C.
func nfc(s string) string { return norm.NFC.String(s) }
