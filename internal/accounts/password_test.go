package accounts

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h := HashPassword("correct horse battery")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("hash %q is not argon2id in PHC form", h)
	}
	if h == HashPassword("correct horse battery") {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name string
		hash string
		pw   string
		want bool
	}{
		{"right", h, "correct horse battery", true},
		{"wrong", h, "correct horse batterz", false},
		{"empty", h, "", false},
		{"malformed", "$argon2id$v=19$m=65536", "correct horse battery", false},
		{"other algorithm", strings.Replace(h, "argon2id", "argon2i", 1), "correct horse battery", false},
		{"huge memory refused", strings.Replace(h, "m=65536", "m=99999999", 1), "correct horse battery", false},
		{"bad salt", strings.Replace(h, "$", "$!", 4), "correct horse battery", false},
		{"unknown user", dummyHash, "anything", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VerifyPassword(tt.hash, tt.pw); got != tt.want {
				t.Errorf("VerifyPassword = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckPassword(t *testing.T) {
	for _, tt := range []struct {
		pw string
		ok bool
	}{
		{"short", false},
		{"eight ch", true},
		{"éééééééé", true},
		{strings.Repeat("x", 1025), false},
	} {
		if err := CheckPassword(tt.pw); (err == nil) != tt.ok {
			t.Errorf("CheckPassword(%q) = %v, want ok %v", tt.pw, err, tt.ok)
		}
	}
}

func TestSecret(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if len(a) != 43 || a == b {
		t.Fatalf("secrets %q and %q: want 43 characters, different", a, b)
	}
	if HashSecret(a) == HashSecret(b) || len(HashSecret(a)) != 64 {
		t.Fatal("HashSecret is not a 64-hex-digit hash that tells secrets apart")
	}
}
