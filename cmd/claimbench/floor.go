package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// The floors a save is compared with, measured in the same run as
// claimmark's own saves:
//   - the bare durable save: a server that does nothing but HTTP, decoding
//     the JSON annotation and committing it to bbolt with DB.Batch (a group
//     commit: concurrent saves share one fsync), run as its own process
//     (claimbench -floor-serve DIR) so that its CPU time can be read like
//     the real server's;
//   - raw indexing: the CPU time of indexing the same annotations into a
//     raw bleve index, with claimmark's own mapping and documents
//     (index.BuildRaw), in batches of 1,000: what the index would cost
//     with none of the sync pass, lazy batching and persister around it,
//     in a process of its own (claimbench -raw-index FILE, rawproc.go).
//     The naive mapping's build (naive.go), the raw floor of runs before,
//     is measured beside it for comparison but is not part of the floor.
//
// Their sum is the composite floor: the least a save that is both durable
// and searchable could cost.

// floorBucket holds the floor server's annotations.
var floorBucket = []byte("annotations")

// floorServe runs the bare durable-save server on a bbolt file in dir
// until SIGTERM: PUT /api/annotations/{id} decodes the body as an
// annotation and stores the body under id in one DB.Batch, answering 201
// with the body. It prints "claimmark listening on URL" like the real
// server, so startProc can wait for it.
func floorServe(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	db, err := bolt.Open(filepath.Join(dir, "floor.db"), 0o600, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(floorBucket)
		return err
	}); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("PUT /api/annotations/{id}", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var a annotation.Annotation
		if err := json.Unmarshal(body, &a); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		id := r.PathValue("id")
		if err := db.Batch(func(tx *bolt.Tx) error {
			return tx.Bucket(floorBucket).Put([]byte(id), body)
		}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write(body)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
		<-stop
		srv.Close()
	}()
	fmt.Fprintf(os.Stderr, "claimmark listening on http://%s (bare durable-save floor)\n", ln.Addr())
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// startFloor starts this program as the bare durable-save server on dir.
func startFloor(dir string) (*serverProc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return startProc(exec.Command(self, "-floor-serve", dir))
}

// selfCPU returns the user and system CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
