// Package accounts holds what the server needs to sign people in and
// that does not belong in a store: password hashing (argon2id), random
// secrets and their hashes for sessions, API tokens and one-time links.
// Stores keep only hashes (annotation.AccountStore).
package accounts
