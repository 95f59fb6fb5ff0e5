package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// serverProc is a running `claimmark serve`.
type serverProc struct {
	cmd     *exec.Cmd
	URL     string
	started time.Duration // from exec to the listening line
	exited  chan struct{}
	log     *strings.Builder
	token   string // API token sent with every request ("" for none)
}

var listeningRE = regexp.MustCompile(`claimmark listening on (http://\S+)`)

// startServer runs bin serve on a free loopback port with the data
// directory dir and returns once it listens.
func startServer(bin, dir, root string) (*serverProc, error) {
	return startProc(exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-data", dir, "-root", root))
}

// startProc starts cmd, a server that prints "claimmark listening on URL"
// on standard error, and returns once it listens.
func startProc(cmd *exec.Cmd) (*serverProc, error) {
	cmd.Env = append(os.Environ(), "CLAIMMARK_LOG=warn")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &serverProc{cmd: cmd, exited: make(chan struct{}), log: &strings.Builder{}}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			if m := listeningRE.FindStringSubmatch(line); m != nil {
				urls <- m[1]
			} else if p.log.Len() < 1<<16 {
				p.log.WriteString(line + "\n")
			}
		}
		cmd.Wait()
		close(p.exited)
	}()
	select {
	case p.URL = <-urls:
		p.started = time.Since(start)
		return p, nil
	case <-p.exited:
		return nil, fmt.Errorf("claimmark serve exited before listening:\n%s", p.log.String())
	case <-time.After(10 * time.Minute):
		cmd.Process.Kill()
		return nil, fmt.Errorf("claimmark serve did not listen within 10 minutes")
	}
}

// stop ends the server with SIGTERM (a graceful shutdown) and waits.
func (p *serverProc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(time.Minute):
		p.cmd.Process.Kill()
		<-p.exited
	}
}

// memory returns, in bytes, the resident set size, its peak, and how
// much of it is pages of mapped files, from /proc/PID/status (VmRSS,
// VmHWM, RssFile). The mapped files are the store's file, which bbolt
// maps, and the index's segments, which bleve maps: clean pages the
// kernel drops under memory pressure and reads back on use.
func (p *serverProc) memory() (rss, peak, file int64) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, 0, 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) < 1 {
			continue
		}
		kb, _ := strconv.ParseInt(f[0], 10, 64)
		switch k {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			peak = kb << 10
		case "RssFile":
			file = kb << 10
		}
	}
	return rss, peak, file
}

// clockTicks is the unit of the CPU times in /proc/PID/stat (USER_HZ),
// 100 on every Linux platform Go supports.
const clockTicks = 100

// cpu returns the CPU time the server has used, to the nanosecond: the
// sum of its threads' time on a CPU (/proc/PID/task/*/schedstat, user
// and system alike). /proc/PID/stat counts in clock ticks of 10 ms: a
// save round of the floor server uses about 150 ms, so its figure was
// off by up to a fifteenth either way. The Go runtime keeps its threads,
// so the sum misses none. Without schedstat (a kernel built without it)
// it falls back to /proc/PID/stat; 0 when neither can be read.
func (p *serverProc) cpu() time.Duration {
	if d, ok := threadsCPU(p.cmd.Process.Pid); ok {
		return d
	}
	return statCPU(p.cmd.Process.Pid)
}

// threadsCPU returns the sum of the time on a CPU of the threads of
// process pid, the first field of each /proc/PID/task/TID/schedstat.
func threadsCPU(pid int) (time.Duration, bool) {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil || len(tasks) == 0 {
		return 0, false
	}
	var sum time.Duration
	for _, t := range tasks {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/schedstat", pid, t.Name()))
		if err != nil {
			if os.IsNotExist(err) {
				continue // the thread has just exited
			}
			return 0, false
		}
		f := strings.Fields(string(data))
		if len(f) == 0 {
			return 0, false
		}
		ns, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, false
		}
		sum += time.Duration(ns)
	}
	return sum, true
}

// statCPU returns the user and system CPU time of process pid from
// /proc/PID/stat (fields 14 and 15, after the parenthesised command), in
// clock ticks, or 0 when it cannot be read.
func statCPU(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// dirSize returns the bytes of the regular files under dir.
func dirSize(dir string) int64 {
	var n int64
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	for _, e := range entries {
		p := dir + "/" + e.Name()
		if e.IsDir() {
			n += dirSize(p)
		} else if fi, err := e.Info(); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// procCPU returns the user and system CPU time of a command that has
// exited, 0 when it has not run.
func procCPU(cmd *exec.Cmd) time.Duration {
	if cmd.ProcessState == nil {
		return 0
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}
