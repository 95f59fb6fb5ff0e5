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
	stop, err := startCPUProfile(path)
	if err != nil {
		t.Fatal(err)
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
