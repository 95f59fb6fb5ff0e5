// Package store is the bbolt implementation of annotation.Store and
// annotation.AccountStore, the source of truth of claimmark.
//
// One file (by convention <data>/claimmark.db) holds these buckets:
//
//	meta         "schema" → schema version ("3")
//	articles     article id → JSON of the article without its text, plus
//	             its length in code points (what the library lists)
//	texts        article id → the article text, raw UTF-8
//	urls         canonical URL → article id (duplicate detection)
//	hashes       text hash → article id (duplicate detection)
//	annotations  annotation id → JSON annotation (the wire format)
//	byarticle    article id + "/" + annotation id → empty (per-article
//	             list), and article id + "/" + 0xff → JSON
//	             annotation.Counts (the article's counts, after its
//	             annotation keys: see countsKey)
//	changes      sequence number (8 bytes, big-endian) → JSON annotation.Change
//	versions     article id + "/" + text version (4 bytes, big-endian) →
//	             JSON of an earlier text of the article: version, hash,
//	             created, chars and the text itself
//	linksto      target annotation id + "/" + linking annotation id → empty
//	             (who links to an annotation: Annotation.Relations reversed;
//	             kept for a deleted target; files from before relations
//	             existed need no backfill, as they hold none)
//	listchanges  sequence number (8 bytes, big-endian) → how a save changed
//	             an annotation's entries in byarticle and byspeaker, not yet
//	             applied to them (see lists.go: saves leave these, and they
//	             are applied in groups before any other write and any read
//	             of the lists)
//
// and, for annotation.AccountStore (files from before accounts get them
// empty at Open; their articles and annotations decode with empty account
// fields until Adopt gives them to a group and user):
//
//	users          user id → JSON user with its password hash
//	usernames      annotation.UsernameKey → user id
//	groups         group id → JSON annotation.Group
//	members        group id + "/" + user id → JSON member with its place
//	               in the order of adding
//	memberof       user id + "/" + group id → role (Memberships)
//	sessions       session id (hash of the cookie) → JSON annotation.Session
//	sessionsbyuser user id + "/" + session id → empty (DeleteSessions)
//	sessionexpiry  expiry (8 bytes, big-endian Unix nanoseconds) + session
//	               id → empty: PutSession deletes the sessions that expired
//	               before the LastSeen of the session it stores
//	tokens         token id → JSON token with its hash
//	tokenhashes    token hash → token id
//	tickets        ticket hash → JSON annotation.Ticket
//	ticketexpiry   expiry + ticket hash → empty: PutTicket deletes the
//	               tickets that expired before the Created of the ticket
//	               it stores
//
// Files of schema version "1" kept the counts in a bucket of their own,
// counts (article id → JSON annotation.Counts); Open moves them into
// byarticle once, in one transaction (migrateCounts). Files of schema
// version "2" had no listchanges: Open marks them "3", so that an older
// claimmark, which would not apply list changes, refuses them.
//
// An article's text versions are numbered from 1, and the number grows
// each time the text changes (Article.Version also counts changes of the
// title and the other fields). The current text lives in texts; when it
// is replaced, it moves to versions, and every annotation of the article
// is re-anchored to the new text (package anchor) in the same
// transaction: see UpdateArticle.
//
// Every write is one bbolt transaction, fsynced before the method returns.
// A lone annotation save or delete commits at once (unless saves came in
// groups just before: then it waits at most 2 ms for others); saves that
// arrive while one commits share the next commit and its fsync (group
// commit, see groupCommit). Every write that
// touches an annotation appends annotation.Change entries, numbered by the
// changes bucket's sequence, in the same transaction. A save writes the
// annotation, its change and its list change; the lists (byarticle,
// byspeaker) follow in a later transaction of many saves (lists.go).
package store
