package server

import (
	"context"
	"time"

	"claimmark/internal/annotation"
)

// limiter bounds costly work in flight: at most cap(slots) calls hold a
// slot at once, and at most maxWaiting more wait for one, each for at most
// wait. Everything else is refused at once, so that a burst costs neither
// unbounded memory nor unbounded latency, and requests that take no slot
// (health, reads, writes) keep the CPU they need.
type limiter struct {
	slots   chan struct{}
	waiting chan struct{} // a semaphore of waiters, capacity maxWaiting
	wait    time.Duration
	busy    error
}

// newLimiter returns a limiter of n slots, letting up to queue callers
// wait up to wait each, that refuses the others with busy.
func newLimiter(n, queue int, wait time.Duration, busy error) *limiter {
	return &limiter{
		slots:   make(chan struct{}, n),
		waiting: make(chan struct{}, queue),
		wait:    wait,
		busy:    busy,
	}
}

// acquire takes a slot, waiting for one if all are taken and there is room
// in the queue. It returns the function that gives the slot back, or the
// limiter's busy error when the queue is full or the wait ran out, or
// ctx's error when ctx ends first.
func (l *limiter) acquire(ctx context.Context) (release func(), err error) {
	select {
	case l.slots <- struct{}{}:
		return l.release, nil
	default:
	}
	select {
	case l.waiting <- struct{}{}:
		defer func() { <-l.waiting }()
	default:
		return nil, l.busy
	}
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return l.release, nil
	case <-t.C:
		return nil, l.busy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (l *limiter) release() { <-l.slots }

// errSearchBusy answers a search that found every search slot taken.
var errSearchBusy = annotation.Errorf(annotation.Unavailable,
	"The server is busy with other searches; try again in a few seconds.")
