package app

import (
	"fmt"
	"strings"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/ingest"
)

// plural returns "1 claim", "2 claims" for n and the singular noun.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// countsText returns "N claims · N denials · N proposals".
func countsText(c annotation.Counts) string {
	return plural(c.Claim, "claim") + " · " + plural(c.Denial, "denial") + " · " + plural(c.Proposal, "proposal")
}

// dateText formats a date for people ("14 Mar 2025"), or "" for zero.
func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2 Jan 2006")
}

// clip returns s on one line (ingest.Line), cut to at most n code points
// with an ellipsis (ingest.Clip), for showing it in a row or a title.
func clip(s string, n int) string { return ingest.Clip(ingest.Line(s), n) }

// syncText says how the outbox stands, for the top bar: "All changes
// saved", "3 changes waiting to sync", "Offline — changes kept on this
// device · 3 changes waiting to sync", with the conflicts to resolve.
func syncText(st outboxStatus) string {
	waiting := plural(st.Waiting, "change") + " waiting to sync"
	var s string
	switch {
	case st.SignedOut:
		s = sessionEndedText(st.Waiting)
	case st.Loading && st.Waiting == 0:
		s = "Checking this device for unsaved changes…"
	case st.Waiting == 0 && st.Offline:
		s = "Offline — all changes saved"
	case st.Waiting == 0:
		s = "All changes saved"
	case st.Offline:
		s = "Offline — changes kept on this device · " + waiting
	case st.Retrying:
		s = fmt.Sprintf("%s — %s Retrying.", waiting, st.LastErr)
	default:
		s = waiting
	}
	if st.Conflicts > 0 {
		s += " · " + plural(st.Conflicts, "conflict") + " to resolve"
	}
	return s
}

// kindNoun returns the lower-case name of k ("denial").
func kindNoun(k annotation.Kind) string { return strings.ToLower(k.Label()) }

// kindLetter returns the one-letter badge of k.
func kindLetter(k annotation.Kind) string {
	if l := k.Label(); l != "" {
		return l[:1]
	}
	return "?"
}
