package store

import (
	"context"
	"time"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// ticket returns the ticket stored under hash, with its Hash; ok is false
// when there is none.
func (t *accTxn) ticket(hash string) (tk *annotation.Ticket, ok bool, err error) {
	tk = new(annotation.Ticket)
	if ok, err = getJSON(t.tickets, hash, tk); !ok || err != nil {
		return nil, ok, err
	}
	tk.Hash = hash
	return tk, true, nil
}

// deleteTicket removes ticket tk and its expiry index entry.
func (t *accTxn) deleteTicket(tk *annotation.Ticket) error {
	if err := t.ticketExpiry.Delete(expiryKey(tk.Expires, tk.Hash)); err != nil {
		return err
	}
	return t.tickets.Delete([]byte(tk.Hash))
}

// PutTicket implements annotation.AccountStore. So that links nobody uses
// do not pile up, it first deletes every ticket that expired before
// tk.Created (the caller's clock), through the expiry index, in the same
// transaction.
func (db *DB) PutTicket(ctx context.Context, tk *annotation.Ticket) (err error) {
	if tk == nil {
		return annotation.Errorf(annotation.Invalid, "No ticket was given.")
	}
	defer wrap(&err, "put ticket")
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := annotation.CheckTicket(tk); err != nil {
		return err
	}
	in := *tk
	return db.bolt.Update(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		err := purgeExpired(t.ticketExpiry, in.Created, func(hash string) error {
			old, ok, err := t.ticket(hash)
			if err != nil || !ok {
				return err
			}
			return t.deleteTicket(old)
		})
		if err != nil {
			return err
		}
		if old, ok, err := t.ticket(in.Hash); err != nil {
			return err
		} else if ok {
			if err := t.deleteTicket(old); err != nil {
				return err
			}
		}
		if err := putJSON(t.tickets, []byte(in.Hash), in); err != nil {
			return err
		}
		return t.ticketExpiry.Put(expiryKey(in.Expires, in.Hash), nil)
	})
}

// TakeTicket implements annotation.AccountStore. An expired ticket is
// deleted too.
func (db *DB) TakeTicket(ctx context.Context, hash string, now time.Time) (_ *annotation.Ticket, err error) {
	defer wrap(&err, "take ticket")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var tk *annotation.Ticket
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		var ok bool
		var err error
		tk, ok, err = t.ticket(hash)
		if err != nil {
			return err
		}
		if !ok {
			return annotation.TicketNotFound()
		}
		return t.deleteTicket(tk)
	})
	if err != nil {
		return nil, err
	}
	if annotation.Expired(tk.Expires, now) {
		return nil, annotation.TicketNotFound()
	}
	return tk, nil
}
