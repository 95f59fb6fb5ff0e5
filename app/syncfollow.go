package app

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// syncFollower is the part of a page that shows the outbox's sync state in
// its top bar: embedded in the page, it keeps sync current from OnMount
// (follow) to OnDismount (stop).
type syncFollower struct {
	sync    outboxStatus
	release []func()
}

// follow sets sync to the session outbox's status and keeps it current,
// on the UI goroutine through ctx.Dispatch, until stop. Without an outbox
// (prerendering, a test session) it does nothing.
func (f *syncFollower) follow(ctx app.Context, s *session) {
	_, box := s.start()
	if box == nil {
		return
	}
	f.sync = box.Status()
	f.release = append(f.release, box.Subscribe(func(ev outboxEvent) {
		ctx.Dispatch(func(ctx app.Context) { f.sync = box.Status() })
	}))
}

// stop removes the listeners that follow added.
func (f *syncFollower) stop() {
	for _, fn := range f.release {
		fn()
	}
	f.release = nil
}
