package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStartCPUProfile(t *testing.T) {
	if f := flag.Lookup("test.cpuprofile"); f != nil && f.Value.String() != "" {
		t.Skip("the test binary is profiling already (go test -cpuprofile): a process has one CPU profile")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "cpu.pprof")
	if err := os.WriteFile(path, []byte("the profile of a server still running"), 0o644); err != nil {
		t.Fatal(err)
	}
	stop, err := startCPUProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Another server's profile at the same path is left alone until this
	// one is complete.
	if data, _ := os.ReadFile(path); string(data) != "the profile of a server still running" {
		t.Errorf("starting a profile changed %s to %q", path, data)
	}
	if err := stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A profile is gzipped protocol buffers.
	if !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		t.Errorf("%s holds %d bytes that are not a gzipped profile", path, len(data))
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(left) > 0 {
		t.Errorf("files left beside the profile: %v", left)
	}

	_, err = startCPUProfile(filepath.Join(dir, "missing", "cpu.pprof"))
	if err == nil || !strings.Contains(err.Error(), "cannot create the CPU profile file") {
		t.Errorf("a profile in a missing directory: error %v, want one saying the file cannot be created", err)
	}
}

func TestServeFlagCPUProfile(t *testing.T) {
	m := &Main{}
	if err := m.ParseFlags([]string{"-cpuprofile", "/tmp/x.pprof"}); err != nil {
		t.Fatal(err)
	}
	if m.CPUProfile != "/tmp/x.pprof" {
		t.Errorf("-cpuprofile set CPUProfile to %q", m.CPUProfile)
	}
}
