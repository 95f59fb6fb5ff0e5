package accounts

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"claimmark/internal/annotation"
)

// Argon2id parameters of new hashes (RFC 9106's second recommended
// option, with 64 MiB of memory). They are written into each hash, so
// changing them leaves older hashes verifiable.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16
)

// CheckPassword returns an Invalid or TooLarge *Error when pw cannot be a
// password: shorter than annotation.MinPasswordChars characters or longer
// than MaxPasswordBytes bytes.
func CheckPassword(pw string) error {
	switch {
	case len(pw) > annotation.MaxPasswordBytes:
		return annotation.Errorf(annotation.TooLarge, "A password may have at most %d bytes.", annotation.MaxPasswordBytes)
	case annotation.RuneLen(pw) < annotation.MinPasswordChars:
		return annotation.Errorf(annotation.Invalid, "A password needs at least %d characters.", annotation.MinPasswordChars)
	}
	return nil
}

// HashPassword returns the argon2id hash of pw in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$key), with a new random salt.
func HashPassword(pw string) string {
	salt := make([]byte, argonSaltLen)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether pw matches hash, made by HashPassword
// with any parameters. A malformed hash never matches. The comparison is
// in constant time; the cost is that of hashing pw with hash's
// parameters, whether or not it matches.
func VerifyPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var mem, iters uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil {
		return false
	}
	if mem == 0 || mem > 1<<20 || iters == 0 || iters > 64 || threads == 0 {
		return false // refuse parameters that would make a stored hash a denial of service
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, iters, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when a username is unknown, so that a
// sign-in for an unknown user costs what a wrong password costs.
var dummyHash = HashPassword(NewSecret())

// VerifyUnknown spends the time VerifyPassword spends on a real hash and
// reports false; call it when the username is not found.
func VerifyUnknown(pw string) bool {
	VerifyPassword(dummyHash, pw)
	return false
}
