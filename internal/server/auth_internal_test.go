package server

import (
	"net/http/httptest"
	"testing"
)

func TestClientAddr(t *testing.T) {
	tests := []struct {
		name   string
		remote string
		xff    []string
		trust  bool
		want   string
	}{
		{"remote address", "192.0.2.7:5123", nil, false, "192.0.2.7"},
		{"forwarded header ignored by default", "127.0.0.1:5123", []string{"198.51.100.1"}, false, "127.0.0.1"},
		{"trusted: the address the proxy appended", "127.0.0.1:5123", []string{"203.0.113.9, 198.51.100.1"}, true, "198.51.100.1"},
		{"trusted: the last header", "127.0.0.1:5123", []string{"203.0.113.9", "198.51.100.2"}, true, "198.51.100.2"},
		{"trusted without the header", "[2001:db8::1]:443", nil, true, "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{trustProxy: tt.trust}
			r := httptest.NewRequest("POST", "/api/session", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := s.clientAddr(r); got != tt.want {
				t.Errorf("clientAddr = %q, want %q", got, tt.want)
			}
		})
	}
}
