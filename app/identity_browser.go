package app

import (
	"context"
	"errors"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/client"
)

// localStore is the keyStore of the browser: localStorage. A full or
// missing storage loses writes silently (what it keeps is a convenience).
type localStore struct{}

func (localStore) ls() app.Value {
	if !app.IsClient {
		return app.Null()
	}
	return app.Window().Get("localStorage")
}

func (s localStore) Get(k string) (string, bool) {
	ls := s.ls()
	if !ls.Truthy() {
		return "", false
	}
	v := ls.Call("getItem", k)
	if v.IsNull() || v.IsUndefined() {
		return "", false
	}
	return v.String(), true
}

func (s localStore) Set(k, v string) {
	if ls := s.ls(); ls.Truthy() {
		defer func() { _ = recover() }() // a full storage throws
		ls.Call("setItem", k, v)
	}
}

func (s localStore) Remove(k string) {
	if ls := s.ls(); ls.Truthy() {
		ls.Call("removeItem", k)
	}
}

func (s localStore) Keys() []string {
	ls := s.ls()
	if !ls.Truthy() {
		return nil
	}
	n := ls.Get("length").Int()
	out := make([]string, 0, n)
	for i := range n {
		if k := ls.Call("key", i); k.Truthy() {
			out = append(out, k.String())
		}
	}
	return out
}

// await blocks until the JavaScript promise p settles and returns its
// value. Call it from a goroutine, never from a JavaScript callback.
func await(p app.Value) (app.Value, error) {
	type result struct {
		v   app.Value
		err error
	}
	ch := make(chan result, 1)
	ok := app.FuncOf(func(_ app.Value, args []app.Value) any {
		var v app.Value = app.Undefined()
		if len(args) > 0 {
			v = args[0]
		}
		ch <- result{v: v}
		return nil
	})
	fail := app.FuncOf(func(_ app.Value, args []app.Value) any {
		msg := "the promise was rejected"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	p.Call("then", ok, fail)
	r := <-ch
	return r.v, r.err
}

// idbExists reports whether the browser has an IndexedDB database called
// name. Without indexedDB.databases() it reports false.
func idbExists(name string) bool {
	idb := app.Window().Get("indexedDB")
	if !idb.Truthy() || !idb.Get("databases").Truthy() {
		return false
	}
	list, err := await(idb.Call("databases"))
	if err != nil || !list.Truthy() {
		return false
	}
	for i := range list.Length() {
		if list.Index(i).Get("name").String() == name {
			return true
		}
	}
	return false
}

// deleteIDB deletes the IndexedDB database name. Open connections to it
// (this tab's and other tabs') close themselves on the versionchange
// event (see openIDB); it gives up after a few seconds if one does not.
func deleteIDB(name string) error {
	idb := app.Window().Get("indexedDB")
	if !idb.Truthy() {
		return nil
	}
	req, err := try(func() app.Value { return idb.Call("deleteDatabase", name) })
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { _, err := wait(req, "success"); done <- err }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		return errors.New("the device's database is still open in another tab; close it and sign out again")
	}
}

// dropRuntimeCache deletes the service worker's cache of API answers
// (web/app-worker.js, RUNTIME), which holds the user's data.
func dropRuntimeCache() {
	if c := app.Window().Get("caches"); c.Truthy() {
		_, _ = await(c.Call("delete", "runtime"))
	}
}

// takeoverLegacy gives the device of the app before accounts, if this
// browser still has it, to dev (the first user signed in here): its queued
// changes and conflicts move to dev, then it is deleted.
func takeoverLegacy(dev device) {
	if !idbExists(legacyDBName) {
		return
	}
	old, err := openIDB(legacyDBName)
	if err != nil {
		app.Log("claimmark: the device's data from before accounts could not be read:", err)
		return
	}
	n, err := takeover(old, dev)
	old.db.Call("close")
	if err != nil {
		app.Log("claimmark: the device's changes from before accounts could not be moved:", err)
		return
	}
	if err := deleteIDB(legacyDBName); err != nil {
		app.Log("claimmark: the device's data from before accounts could not be deleted:", err)
	}
	if n > 0 {
		app.Log("claimmark: moved", n, "changes made before accounts to this user")
	}
}

// identify asks the server who uses the app and decides, with the user
// remembered on this device, what the app opens (resolveIdentity); a user
// signed in becomes the remembered one.
func (s *session) identify(api *client.Client) identity {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	me, err := api.Me(ctx)
	id := resolveIdentity(me, err, recall(s.ks))
	if id.State == authSignedIn {
		remember(s.ks, me)
	}
	return id
}

// openUserDevice opens the device store of who: the user's IndexedDB
// database (the first user signed in also takes over the device of the
// app before accounts), the database of the app before accounts on a
// server without them, or memory when nobody is signed in or without
// IndexedDB.
func openUserDevice(who identity) (dev device, durable bool) {
	name := legacyDBName // a server without accounts
	switch {
	case who.State != authNone && who.User.ID == "":
		return newMemDevice(), false
	case who.State != authNone:
		name = dbName(who.User.ID)
	}
	d, err := openIDB(name)
	if err != nil {
		app.Log("claimmark: changes will be kept in this tab only:", err)
		return newMemDevice(), false
	}
	if who.State == authSignedIn {
		takeoverLegacy(d)
	}
	return d, true
}

// signOut ends the session on the server (every session of the user when
// everywhere), then deletes the user's device store and keys and the
// service worker's copies of API answers, and opens the sign-in page. It
// returns the error when the server could not be told (nothing is deleted
// then).
func (s *session) signOut(ctx context.Context, everywhere bool) error {
	api := s.acct
	if api == nil {
		return errors.New("not in the browser")
	}
	var err error
	if everywhere {
		err = api.SignOutEverywhere(ctx)
	} else {
		err = api.SignOut(ctx)
	}
	if err != nil && !client.IsUnauthorized(err) {
		return err
	}
	s.clearUser(s.identity().User.ID)
	goTo(SignInPath)
	return nil
}

// clearUser deletes what this device keeps of user uid.
func (s *session) clearUser(uid string) {
	if uid != "" {
		if err := deleteIDB(dbName(uid)); err != nil {
			app.Log("claimmark: could not delete this device's copy:", err)
		}
		forget(s.ks, uid)
	}
	dropRuntimeCache()
}

// goTo loads path as a new page: after signing in or out, the app starts
// again for the new user.
func goTo(path string) { app.Window().Get("location").Call("assign", path) }
