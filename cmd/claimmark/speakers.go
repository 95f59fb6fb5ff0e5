package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
	"text/tabwriter"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// speakers is the `speakers` command. It asks a running server:
//
//	claimmark speakers [-server URL] [-json] [PREFIX]   lists speakers with their counts
//	claimmark speakers merge [-server URL] FROM INTO    merges speaker FROM into INTO
//
// FROM and INTO are speaker ids, or names or aliases (any case).
func (c *cli) speakers(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "merge" {
		return c.mergeSpeakers(ctx, args[1:])
	}
	fs := c.newFlagSet("speakers", "[-server URL] [-json] [PREFIX]\n  claimmark speakers merge [-server URL] FROM INTO")
	rem := remoteFlags(fs)
	asJSON := fs.Bool("json", false, "print the speakers as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	cl := rem.client()
	list, err := cl.Speakers(ctx, strings.Join(pos, " "))
	if err != nil {
		return serverError(err, rem.server)
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	return printSpeakers(c.stdout, list)
}

// mergeSpeakers is `claimmark speakers merge FROM INTO`.
func (c *cli) mergeSpeakers(ctx context.Context, args []string) error {
	fs := c.newFlagSet("speakers merge", "[-server URL] FROM INTO")
	rem := remoteFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("speakers merge needs two speakers, FROM and INTO (ids, names or aliases); got %d", len(pos))
	}
	cl := rem.client()
	from, err := findSpeaker(ctx, cl, pos[0])
	if err != nil {
		return serverError(err, rem.server)
	}
	into, err := findSpeaker(ctx, cl, pos[1])
	if err != nil {
		return serverError(err, rem.server)
	}
	merged, err := cl.MergeSpeakers(ctx, from.ID, into.ID)
	if err != nil {
		return serverError(err, rem.server)
	}
	fmt.Fprintf(c.stdout, "Merged %q into %q; its names now: %s\n", from.Name, merged.Name,
		strings.Join(append([]string{merged.Name}, merged.Aliases...), ", "))
	return nil
}

// findSpeaker returns the speaker with id ref, or else the one whose name
// or alias has the SpeakerKey of ref.
func findSpeaker(ctx context.Context, cl *client.Client, ref string) (*annotation.Speaker, error) {
	if annotation.ValidID(ref) {
		s, err := cl.Speaker(ctx, ref)
		if err == nil || annotation.ErrorCode(err) != annotation.NotFound {
			return s, err
		}
	}
	list, err := cl.Speakers(ctx, ref)
	if err != nil {
		return nil, err
	}
	key := annotation.SpeakerKey(ref)
	for i := range list {
		for _, k := range list[i].Keys() {
			if k == key {
				return &list[i].Speaker, nil
			}
		}
	}
	return nil, annotation.Errorf(annotation.NotFound, "No speaker has the id or name %q; list them with `claimmark speakers`.", ref)
}

// printSpeakers writes list as a table: name (and aliases), kind, counts
// per kind of annotation and id.
func printSpeakers(w io.Writer, list []annotation.SpeakerSummary) error {
	if len(list) == 0 {
		_, err := fmt.Fprintln(w, "No speakers.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SPEAKER\tKIND\tCLAIMS\tDENIALS\tPROPOSALS\tID")
	for _, s := range list {
		name := s.Name
		if len(s.Aliases) > 0 {
			name += " (" + strings.Join(s.Aliases, ", ") + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", printable(name), s.Kind, s.Counts.Claim, s.Counts.Denial, s.Counts.Proposal, s.ID)
	}
	return tw.Flush()
}

// printable replaces control characters by spaces, so that a name cannot
// break the table or send terminal escapes.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}

// serverError explains a refused connection; other errors pass as they are.
func serverError(err error, serverURL string) error {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("no claimmark server answers at %s; start one with `claimmark serve`, or name it with -server", serverURL)
	}
	return err
}
