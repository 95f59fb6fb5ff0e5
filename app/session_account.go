package app

import (
	"context"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// identity returns who uses the app as known now: authNone until the
// browser learnt it (and always outside the browser, unless a test set
// it).
func (s *session) identity() identity {
	s.whoMu.Lock()
	defer s.whoMu.Unlock()
	return s.who
}

// waitIdentity returns who uses the app once the browser learnt it (at
// once elsewhere), or the identity known when ctx ends.
func (s *session) waitIdentity(ctx context.Context) identity {
	s.start()
	if ch := s.whoCh; ch != nil {
		select {
		case <-ch:
		case <-ctx.Done():
		}
	}
	return s.identity()
}

// setIdentity records who uses the app and ends waitIdentity's waits.
func (s *session) setIdentity(id identity) {
	s.whoMu.Lock()
	s.who = id
	s.whoMu.Unlock()
	if s.whoCh != nil {
		select {
		case <-s.whoCh:
		default:
			close(s.whoCh)
		}
	}
}

// keys returns the device's key-value store.
func (s *session) keys() keyStore {
	s.start()
	return s.ks
}

// group returns the group the user works in ("" without accounts): the
// library lists its articles and new articles go to it.
func (s *session) group() string { return currentGroup(s.keys(), s.identity()) }

// setGroup makes group g the one the user works in, on this device.
func (s *session) setGroup(g string) {
	if id := s.identity(); id.HasUser() {
		s.keys().Set(groupKey(id.User.ID), g)
	}
}

// userKey returns the localStorage key name of the user of the app (the
// bare name without accounts).
func (s *session) userKey(name string) string {
	if id := s.identity(); id.HasUser() {
		return userPrefix(id.User.ID) + name
	}
	return "claimmark/" + name
}

// updateUser records the user's new details (display name) in the
// identity and on the device.
func (s *session) updateUser(u annotation.User) {
	s.whoMu.Lock()
	s.who.User = u
	id := s.who
	s.whoMu.Unlock()
	if id.HasUser() {
		remember(s.keys(), &client.Me{User: u, Memberships: id.Memberships})
	}
}
