package pgtest

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// TestCleanStale checks that a cluster whose owner process has died is
// stopped and removed by the next Start, and that a live one is left.
func TestCleanStale(t *testing.T) {
	c, err := Start()
	if errors.Is(err, ErrNotInstalled) {
		t.Skip(SkipMessage)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if _, err := os.Stat(c.dir); err == nil {
			c.Stop()
		}
	}()
	cleanStale(c.bin)
	if _, err := os.Stat(c.dir); err != nil {
		t.Fatalf("a cluster whose owner is alive was removed: %v", err)
	}
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.dir, ownerFile), []byte(strconv.Itoa(dead.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	cleanStale(c.bin)
	if _, err := os.Stat(c.dir); !os.IsNotExist(err) {
		t.Errorf("the directory of a cluster whose owner died is still there (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(c.dir, "data", "postmaster.pid")); !os.IsNotExist(err) {
		t.Errorf("the server of a cluster whose owner died still runs")
	}
}
