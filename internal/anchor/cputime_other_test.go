//go:build !unix

package anchor

import "time"

var cpuStart = time.Now()

// cpuTime returns the wall time since the tests started where the CPU time
// is not available.
func cpuTime() time.Duration { return time.Since(cpuStart) }
