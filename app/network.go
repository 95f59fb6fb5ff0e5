package app

import (
	"context"
	"errors"
	"net/http"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/client"
)

// Browser plumbing of the sync: whether the server can be reached, the
// lock that lets one tab at a time send the outbox, and the channel by
// which tabs tell each other that the stored queue changed.

// cacheHeader is set by our service worker (web/app-worker.js) on answers
// it took from its cache because the network failed: the data is good, but
// the server is out of reach.
const cacheHeader = "X-Claimmark-Cache"

// watchTransport reports, for every request, whether the server answered:
// a network error, a 502/504 from a gateway or an answer from the service
// worker's cache mean offline; any other answer means online.
type watchTransport struct {
	send   client.SendFunc
	report func(online bool)
}

// Send is a client.SendFunc. An answer from the service worker's cache
// becomes errFromCache: the app answers from its own device store, which
// also holds what it saved since the worker cached the copy.
func (t *watchTransport) Send(r *http.Request) (*http.Response, error) {
	res, err := t.send(r)
	switch {
	case err != nil:
		if r.Context().Err() == nil {
			t.report(false)
		}
	case res.Header.Get(cacheHeader) != "":
		res.Body.Close()
		t.report(false)
		return nil, errFromCache
	case res.StatusCode == http.StatusBadGateway, res.StatusCode == http.StatusGatewayTimeout:
		t.report(false)
	default:
		t.report(true)
	}
	return res, err
}

// errFromCache is the error of a request the service worker answered from
// its cache because the network failed.
var errFromCache = errors.New("the server cannot be reached (the service worker answered from its cache)")

// webLock is a locker over the Web Locks API (navigator.locks), held by
// one tab of the origin at a time. Without that API it falls back to a
// lock within the tab.
type webLock struct {
	name  string
	local *memLock
}

func newWebLock(name string) *webLock { return &webLock{name: name, local: newMemLock()} }

// Do implements locker: it requests the lock, runs fn once granted and
// releases the lock when fn returns. The wait cannot be cancelled by ctx
// once requested; fn is skipped when ctx has ended by then.
func (l *webLock) Do(ctx context.Context, fn func()) error {
	if !app.IsClient {
		return l.local.Do(ctx, fn)
	}
	locks := app.Window().Get("navigator").Get("locks")
	if !locks.Truthy() {
		return l.local.Do(ctx, fn)
	}
	granted := make(chan struct{})
	var resolve app.Value
	executor := app.FuncOf(func(_ app.Value, args []app.Value) any {
		resolve = args[0]
		return nil
	})
	defer executor.Release()
	held := app.Window().Get("Promise").New(executor) // settles when fn is done
	onGrant := app.FuncOf(func(app.Value, []app.Value) any {
		close(granted)
		return held
	})
	defer onGrant.Release()
	locks.Call("request", l.name, onGrant)
	<-granted
	defer resolve.Invoke()
	if err := ctx.Err(); err != nil {
		return err
	}
	fn()
	return nil
}

// broadcaster tells the other tabs of the origin that the stored queue
// changed, over a BroadcastChannel.
type broadcaster struct{ ch app.Value }

// newBroadcaster opens the channel and calls onMessage (on a goroutine of
// its own) whenever another tab posts, with what it posted; it returns nil
// without BroadcastChannel.
func newBroadcaster(name string, onMessage func(online bool)) *broadcaster {
	if !app.IsClient {
		return nil
	}
	ctor := app.Window().Get("BroadcastChannel")
	if !ctor.Truthy() {
		return nil
	}
	ch := ctor.New(name)
	ch.Call("addEventListener", "message", app.FuncOf(func(_ app.Value, args []app.Value) any {
		online := args[0].Get("data").String() != "offline"
		go onMessage(online)
		return nil
	}))
	return &broadcaster{ch: ch}
}

// Post tells the other tabs that the queue changed, and whether this tab
// last reached the server.
func (b *broadcaster) Post(online bool) {
	if b == nil {
		return
	}
	msg := "online"
	if !online {
		msg = "offline"
	}
	b.ch.Call("postMessage", msg)
}

// watchNetwork follows the window's online and offline events and the
// page becoming visible, for the life of the page: the outbox learns the
// state and, back online or visible again, tries to send at once.
func watchNetwork(box *outbox) {
	if !app.IsClient {
		return
	}
	win := app.Window()
	if !win.Get("navigator").Get("onLine").Bool() {
		box.SetOnline(false)
	}
	on := func(target app.Value, event string, fn func(ev app.Value)) {
		target.Call("addEventListener", event, app.FuncOf(func(_ app.Value, args []app.Value) any {
			fn(args[0])
			return nil
		}))
	}
	on(win, "online", func(app.Value) { go box.SetOnline(true) })
	on(win, "offline", func(app.Value) { go box.SetOnline(false) })
	doc := win.Get("document")
	on(doc, "visibilitychange", func(app.Value) {
		if doc.Get("visibilityState").String() == "visible" {
			box.Retry()
		}
	})
}
