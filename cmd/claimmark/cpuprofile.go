package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
)

// startCPUProfile starts writing a CPU profile for the file path and
// returns the function that stops it and puts the profile at path
// (replacing what was there). Until then path is left as it was. A file
// that cannot be created is an error naming it.
func startCPUProfile(path string) (stop func() error, err error) {
	// The profile goes to a new file beside path, renamed to path when it
	// is complete: a second server started with the same path (which
	// fails on the data directory's lock) cannot empty this one's.
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("cannot create the CPU profile file: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("cannot start the CPU profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			os.Remove(f.Name())
			return fmt.Errorf("writing the CPU profile %s: %w", path, err)
		}
		if err := os.Rename(f.Name(), path); err != nil {
			return fmt.Errorf("writing the CPU profile %s: %w", path, err)
		}
		return nil
	}, nil
}
