// Package pgstore is the PostgreSQL implementation of annotation.Store,
// annotation.ChangeLog, annotation.SpeakerStore, annotation.Linker,
// annotation.AccountStore and the text versions the server shows: the
// shared source of truth for several claimmark servers, each of which
// keeps its own search index by following the change log.
//
// It applies the same rules as package store (bbolt), through the shared
// functions of package annotation (PrepareArticle, LinkSpeaker,
// StampAnnotation, …) and package anchor (Resolve, Reanchor), and passes
// the same contract suite (package storetest).
//
// The schema (migrations/*.sql, embedded) is applied at Open, in one
// transaction, recorded in schema_migrations. Every write is one
// transaction (or part of one: see below); its change-log entries are numbered from a sequence and
// committed with it, and a notification on ChangesChannel carries the last
// number, so that other servers wake up (see Listen). Writes commit
// concurrently, so in any order; readers of the log wait for the writes in
// flight to end before reading up to the last number (see Changes).
// Where the bbolt store relies on its single writer, this store takes row
// locks (the article for share and the annotation for update around an
// If-Match check, a group around a member change) and relies on unique
// constraints (article URL and text, speaker keys, usernames, token
// hashes), retrying a transaction that lost such a race, so that its
// checks then see the winner's row.
//
// New annotations saved at the same time share a transaction (a batch:
// see fastput.go): one statement, one commit and one notification for
// all, each save with its own change-log entry. A save whose checks fail
// in the batch writes nothing there and runs alone, as above; a batch that
// fails as a whole sends each of its saves that way.
//
// A server following the log reads what a page of changes names in bulk
// (annotation.BulkReader: one query per set of ids). Every statement that
// writes users, groups or members raises an accounts generation, which is
// read with the token or session of each request (TokenByHashGen,
// SessionGen), so that servers keep signed-in callers between requests
// and still see any server's change to them on the next one.
package pgstore
