package annotation

import (
	"context"
	"sync/atomic"
)

// LogPosition collects the change-log position of the writes made with a
// context: the highest sequence number (see Change) that a committed
// write logged. A server answers a write with it, so that a client can
// ask another server sharing the store to wait until its index has
// applied that write before searching (read your writes). It is safe for
// concurrent use; the zero value holds 0 (no logged write).
type LogPosition struct{ seq atomic.Uint64 }

// Seq returns the highest sequence number noted so far, 0 when none.
func (p *LogPosition) Seq() uint64 { return p.seq.Load() }

// note raises the position to seq if it is higher.
func (p *LogPosition) note(seq uint64) {
	for {
		old := p.seq.Load()
		if seq <= old || p.seq.CompareAndSwap(old, seq) {
			return
		}
	}
}

// The HTTP headers of read your writes across servers: the answer to a
// write carries its LogPosition in PositionHeader (none when it logged no
// change), and a search that sends the highest position its client has
// seen in AfterHeader waits until the server's index has applied it.
const (
	PositionHeader = "Claimmark-Position"
	AfterHeader    = "Claimmark-After"
)

type logPositionKey struct{}

// WithLogPosition returns a context whose writes note their change-log
// position in the returned LogPosition.
func WithLogPosition(ctx context.Context) (context.Context, *LogPosition) {
	p := new(LogPosition)
	return context.WithValue(ctx, logPositionKey{}, p), p
}

// NoteLogPosition records that a write made with ctx has committed change-log
// entries up to seq. Stores call it after the commit of every write that
// logged changes, with the highest sequence number it logged; it does
// nothing when ctx carries no LogPosition (see WithLogPosition) or seq is 0.
func NoteLogPosition(ctx context.Context, seq uint64) {
	if p, ok := ctx.Value(logPositionKey{}).(*LogPosition); ok && seq > 0 {
		p.note(seq)
	}
}
