//go:build js

package ingest

import "syscall/js"

// nfc returns s in Unicode Normalization Form C, with the browser's own
// String.prototype.normalize: the x/text tables would add about 30 KB
// (brotli) to the wasm client, which already carries the standard
// library's vendored copy for net/http. NFC is stable across Unicode
// versions for assigned characters, so the browser and the server (nfc.go)
// agree on every text made of characters both know.
func nfc(s string) string {
	if isASCII(s) {
		return s
	}
	// A Go string reaches JavaScript as a primitive string, whose methods
	// syscall/js cannot call directly: call the prototype's with it as this.
	normalize := js.Global().Get("String").Get("prototype").Get("normalize")
	return normalize.Call("call", s, "NFC").String()
}

// isASCII reports whether s has only ASCII bytes, which NFC leaves alone.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
