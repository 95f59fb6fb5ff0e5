package app

import (
	"context"
	"errors"
	"slices"

	"claimmark/internal/annotation"
)

// Speaker identity changes made on this device go through the outbox like
// annotation changes: queued durably, applied to the device's copies at
// once, sent in order when the server answers (each alone, not in a
// batch), retried while it does not.

// Kinds of speaker operations. Stored on devices: do not rename.
const (
	// opMergeSpeaker merges speaker ID into speaker Into
	// (POST /api/speakers/{id}/merge).
	opMergeSpeaker opKind = "speaker-merge"
	// opPutSpeaker stores Speaker, its new name, aliases or kind
	// (PUT /api/speakers/{id}, If-Match Base).
	opPutSpeaker opKind = "speaker-put"
)

// known reports whether this version knows how to send operations of kind k.
func (k opKind) known() bool { return k == opPut || k == opDelete || k.speaker() }

// speaker reports whether operations of kind k change a speaker identity
// (their ID is a speaker's) rather than an annotation.
func (k opKind) speaker() bool { return k == opMergeSpeaker || k == opPutSpeaker }

// EnqueueMergeSpeaker queues merging speaker from into speaker into and
// applies the merge to the device's copies (applySpeakerMerge) before it
// returns, so that what the device shows follows at once. It blocks on
// the device: call it from ctx.Async, never from an event handler.
func (o *outbox) EnqueueMergeSpeaker(from, into annotation.Speaker) error {
	o.mu.Lock()
	o.localGen++
	p := &op{Key: o.nextKeyLocked(), Kind: opMergeSpeaker, ID: from.ID, Into: into.ID,
		FromName: from.Name, IntoName: into.Name, Tab: o.tab}
	o.queue = append(o.queue, p)
	snap := p.clone()
	st := o.statusLocked()
	o.mu.Unlock()
	o.persist(snap, false)
	var err error
	o.call(func() { _, err = applySpeakerMerge(o.dev, from.ID, into.ID) })
	o.emit(outboxEvent{Kind: opMergeSpeaker, ID: from.ID, Status: st})
	o.kick()
	return err
}

// EnqueuePutSpeaker queues storing s (its name, aliases and kind as
// edited, on revision s.Revision) and applies it to the device's copy
// before it returns. An unsent put of the same speaker queued by this tab
// is replaced instead. It blocks on the device, like EnqueueMergeSpeaker.
func (o *outbox) EnqueuePutSpeaker(s annotation.Speaker) error {
	s.Aliases = slices.Clone(s.Aliases)
	o.mu.Lock()
	o.localGen++
	var snap *op
	if last := o.lastOpLocked(s.ID); last != nil && last.Kind == opPutSpeaker && last.Tab == o.tab && !last.Sent {
		last.Speaker = &s
		last.Gen++
		snap = last.clone()
	} else {
		p := &op{Key: o.nextKeyLocked(), Kind: opPutSpeaker, ID: s.ID, Speaker: &s, Base: s.Revision, Tab: o.tab}
		o.queue = append(o.queue, p)
		snap = p.clone()
	}
	st := o.statusLocked()
	o.mu.Unlock()
	o.persist(snap, false)
	var err error
	o.call(func() { err = applySpeakerPut(o.dev, &s) })
	o.emit(outboxEvent{Kind: opPutSpeaker, ID: s.ID, Status: st})
	o.kick()
	return err
}

// sendSpeaker sends a speaker change: sendSpeakerPut for a put. A merge whose speakers are no longer
// both on the server (merged or deleted elsewhere meanwhile) is resolved
// without losing a statement, and the outcome's notice says how:
//
//   - from is gone and its name now belongs to into: nothing is left to
//     do;
//   - from is gone and its name belongs to another speaker: nothing is
//     merged, since that speaker may not be into (the notice says so);
//   - into is gone: from is merged into the speaker that now holds into's
//     name, if any;
//   - both are gone: nothing is left to do.
func (o *outbox) sendSpeaker(ctx context.Context, p *op) outcome {
	ctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	sp, ok := o.api.(annotation.SpeakerStore)
	if !ok {
		return outcome{err: errors.New("this client cannot change speakers")}
	}
	if p.Kind == opPutSpeaker {
		return sendSpeakerPut(ctx, sp, p)
	}
	merged, err := sp.MergeSpeakers(ctx, p.ID, p.Into)
	if annotation.ErrorCode(err) != annotation.NotFound {
		return outcome{err: err, speaker: merged}
	}
	_, ferr := sp.Speaker(ctx, p.ID)
	switch {
	case annotation.ErrorCode(ferr) == annotation.NotFound:
		holder, herr := speakerNamed(ctx, sp, p.FromName)
		switch {
		case herr != nil:
			return outcome{err: herr}
		case holder == nil:
			return outcome{notice: "“" + p.FromName + "” is no longer on the server: nothing was left to merge into “" + p.IntoName + "”."}
		case holder.ID == p.Into:
			return outcome{speaker: holder, notice: "“" + p.FromName + "” had already been merged into “" + p.IntoName + "”."}
		}
		return outcome{notice: "“" + p.FromName + "” was merged into “" + holder.Name + "” on another device, so it was not merged into “" +
			p.IntoName + "”. If they are the same speaker, merge “" + holder.Name + "” into “" + p.IntoName + "” on the Speakers page."}
	case ferr != nil:
		return outcome{err: ferr}
	}
	holder, herr := speakerNamed(ctx, sp, p.IntoName)
	switch {
	case herr != nil:
		return outcome{err: herr}
	case holder == nil || holder.ID == p.ID:
		return outcome{notice: "“" + p.IntoName + "” is no longer on the server, so “" + p.FromName + "” was kept as it is."}
	}
	merged, err = sp.MergeSpeakers(ctx, p.ID, holder.ID)
	if err != nil {
		return outcome{err: err}
	}
	return outcome{speaker: merged, notice: "“" + p.IntoName + "” had been merged into “" + holder.Name + "” on another device: “" +
		p.FromName + "” was merged into “" + holder.Name + "”."}
}

// sendSpeakerPut stores p.Speaker If-Match its base. When the speaker was
// changed elsewhere meanwhile (412), no name is lost: the server's copy
// takes this device's name and kind, and keeps its own name (when it
// differs) and aliases beside this device's aliases; the notice says so.
// A speaker gone from the server (merged or deleted elsewhere) is not
// created again; the notice says so.
func sendSpeakerPut(ctx context.Context, sp annotation.SpeakerStore, p *op) outcome {
	mine := p.clone().Speaker
	_, err := sp.PutSpeaker(ctx, mine, p.ifMatch())
	switch {
	case err == nil:
		return outcome{speaker: mine}
	case annotation.ErrorCode(err) != annotation.PreconditionFailed:
		return outcome{err: err}
	}
	cur, err := sp.Speaker(ctx, p.ID)
	switch {
	case annotation.ErrorCode(err) == annotation.NotFound:
		return outcome{notice: "“" + mine.Name + "” is no longer on the server (merged or deleted on another device), so the names given to it offline were not saved."}
	case err != nil:
		return outcome{err: err}
	}
	next := *cur
	next.Name, next.Kind = mine.Name, mine.Kind
	next.Aliases = slices.Clone(cur.Aliases)
	if annotation.SpeakerKey(cur.Name) != annotation.SpeakerKey(mine.Name) {
		next.Aliases = append(next.Aliases, cur.Name)
	}
	next.Aliases = append(next.Aliases, mine.Aliases...)
	next.Clean()
	if _, err := sp.PutSpeaker(ctx, &next, cur.ETag()); err != nil {
		return outcome{err: err}
	}
	return outcome{speaker: &next, notice: "“" + next.Name + "” was also changed on another device: the names from both are kept."}
}

// speakerNamed returns the server's speaker whose name or alias is name
// (by SpeakerKey), or nil when there is none.
func speakerNamed(ctx context.Context, sp annotation.SpeakerStore, name string) (*annotation.Speaker, error) {
	list, err := sp.Speakers(ctx, name)
	if err != nil {
		return nil, err
	}
	key := annotation.SpeakerKey(name)
	for i := range list {
		for _, k := range list[i].Keys() {
			if k == key {
				return &list[i].Speaker, nil
			}
		}
	}
	return nil, nil
}

// speakerSettled returns the device writes that follow an acknowledged
// speaker change: the speaker it merged away is forgotten, and the
// server's copy of the one it left (saved, when known) replaces the
// device's, keeping the device's counts.
func speakerSettled(dev device, p *op, saved *annotation.Speaker) []func() error {
	var writes []func() error
	if p.Kind == opMergeSpeaker {
		writes = append(writes, func() error { return dev.DeleteSpeaker(p.ID) })
	}
	if saved == nil {
		return writes
	}
	cp := *saved
	return append(writes, func() error {
		list, err := dev.Speakers()
		if err != nil {
			return err
		}
		sum := annotation.SpeakerSummary{Speaker: cp}
		for _, s := range list {
			if s.ID == cp.ID {
				sum.Counts = s.Counts
			}
		}
		return dev.PutSpeakers([]annotation.SpeakerSummary{sum}, false)
	})
}
