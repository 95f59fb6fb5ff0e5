package accounts

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// NewSecret returns a new random secret: 32 bytes from crypto/rand in
// unpadded URL-safe base64 (43 characters), fit for a cookie, a bearer
// token or a link.
func NewSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// HashSecret returns the form in which a store keeps a secret: the hex
// SHA-256 of it. Secrets are random and long, so a plain hash is enough
// (no salt, no stretching), and lookups by hash are exact.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}
