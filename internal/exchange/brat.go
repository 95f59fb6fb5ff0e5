package exchange

import (
	"archive/zip"
	"bufio"
	"context"
	"fmt"
	"slices"
	"strings"

	"claimmark/internal/annotation"
)

// BratConf is the brat annotation.conf written into every brat export,
// before the rating labels found in it. Overlaps are allowed because a
// claim and a denial may quote the same passage.
const bratConfHead = `# claimmark: speech acts, their links and verdicts
[entities]
Claim
Denial
Proposal

[relations]
Rejects	Arg1:<ENTITY>, Arg2:<ENTITY>
Supports	Arg1:<ENTITY>, Arg2:<ENTITY>
Repeats	Arg1:<ENTITY>, Arg2:<ENTITY>
Responds_to	Arg1:<ENTITY>, Arg2:<ENTITY>
Revises	Arg1:<ENTITY>, Arg2:<ENTITY>
<OVERLAP>	Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

[events]

[attributes]
`

// bratName returns the brat name of a relation type or rating label:
// capitalised, with spaces as underscores (brat names hold no spaces).
func bratName(s string) string {
	s = strings.Join(strings.Fields(s), "_")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// oneLine returns s with line breaks and tabs as spaces: brat reads one
// annotation per line, fields split by tabs.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '\t' }), " ")
}

// bratSpans returns the brat offsets of [start, end) in text: code-point
// ranges, split where the text has a line break, since a brat fragment may
// not span one ("0 5;6 10"), and the fragments' texts joined by a space
// as brat shows them.
func bratSpans(text string, start, end int) (spans, quote string) {
	rs := []rune(text)
	end = min(end, len(rs))
	var parts, texts []string
	for i := start; i < end; {
		for i < end && rs[i] == '\n' {
			i++
		}
		j := i
		for j < end && rs[j] != '\n' {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d %d", i, j))
			texts = append(texts, string(rs[i:j]))
		}
		i = j
	}
	return strings.Join(parts, ";"), strings.Join(texts, " ")
}

// exportBrat writes a zip archive in brat's standoff format: for each
// article with annotations, <article id>.txt holding its text and
// <article id>.ann holding
//
//	T<n>\t<Claim|Denial|Proposal> <start> <end>[;<start> <end>…]\t<quote>
//	A<n>\tRating T<n> <Label>                  (a rated claim)
//	#<n>\tAnnotatorNotes T<n>\tSpeaker: …      (and "Note: …", on one line)
//	R<n>\t<Rejects|…> Arg1:T<from> Arg2:T<to>  (a relation within the article)
//	#<n>\tAnnotatorNotes T<n>\tRejects annotation <id> in “<title>” …
//
// and annotation.conf, which declares these types. Offsets are brat's
// character offsets, which are code points of the .txt file (as brat,
// in Python 3, indexes a decoded str): the same as our positions, so a
// .txt is the article text unchanged (UTF-8). A quote across a line break
// becomes a discontinuous span. brat cannot relate annotations of two
// documents, so a relation to an annotation in another article, one not
// in the export, or one deleted is written as a note on the linking
// annotation that says so.
func exportBrat(ctx context.Context, st annotation.Store, sums []annotation.ArticleSummary, keep func(*annotation.Annotation) bool, w *bufio.Writer) error {
	zw := zip.NewWriter(w)
	titles := map[string]string{}
	for _, s := range sums {
		titles[s.ID] = s.Title
	}
	var labels []string
	err := eachArticle(ctx, st, sums, true, keep, func(art *annotation.Article, anns []*annotation.Annotation) error {
		ann, err := bratAnn(ctx, st, art, anns, titles, &labels)
		if err != nil {
			return err
		}
		for _, f := range []struct{ name, body string }{{art.ID + ".txt", art.Text}, {art.ID + ".ann", ann}} {
			fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate})
			if err != nil {
				return err
			}
			if _, err := fw.Write([]byte(f.body)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	conf := bratConfHead
	if len(labels) > 0 {
		conf += "Rating\tArg:Claim, Value:" + strings.Join(labels, "|") + "\n"
	}
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: "annotation.conf", Method: zip.Deflate})
	if err != nil {
		return err
	}
	if _, err := fw.Write([]byte(conf)); err != nil {
		return err
	}
	return zw.Close()
}

// bratAnn returns the .ann file of art's annotations anns, adding the
// rating labels it uses to labels.
func bratAnn(ctx context.Context, st annotation.Store, art *annotation.Article, anns []*annotation.Annotation,
	titles map[string]string, labels *[]string) (string, error) {
	var b strings.Builder
	tid := map[string]string{}
	for i, a := range anns {
		tid[a.ID] = fmt.Sprintf("T%d", i+1)
	}
	nA, nR, nNote := 0, 0, 0
	note := func(t, text string) {
		nNote++
		fmt.Fprintf(&b, "#%d\tAnnotatorNotes %s\t%s\n", nNote, t, oneLine(text))
	}
	for _, a := range anns {
		t := tid[a.ID]
		spans, quote := bratSpans(art.Text, a.Target.Position.Start, a.Target.Position.End)
		fmt.Fprintf(&b, "%s\t%s %s\t%s\n", t, a.Kind.Label(), spans, quote)
		if r := a.Rating; r != nil {
			nA++
			name := bratName(r.Label)
			fmt.Fprintf(&b, "A%d\tRating %s %s\n", nA, t, name)
			if !slices.Contains(*labels, name) {
				*labels = append(*labels, name)
			}
		}
		var said []string
		if a.Speaker != "" {
			said = append(said, "Speaker: "+a.Speaker)
		}
		if a.Note != "" {
			said = append(said, "Note: "+a.Note)
		}
		if len(said) > 0 {
			note(t, strings.Join(said, " | "))
		}
	}
	for _, a := range anns {
		for _, r := range a.Relations {
			if to, ok := tid[r.Target]; ok {
				nR++
				fmt.Fprintf(&b, "R%d\t%s Arg1:%s Arg2:%s\n", nR, bratName(string(r.Type)), tid[a.ID], to)
				continue
			}
			target, err := st.Annotation(ctx, r.Target)
			switch {
			case annotation.ErrorCode(err) == annotation.NotFound:
				note(tid[a.ID], fmt.Sprintf("%s annotation %s, which was deleted.", r.Type.Label(), r.Target))
			case err != nil:
				return "", err
			case target.ArticleID == art.ID:
				note(tid[a.ID], fmt.Sprintf("%s annotation %s of this article, which is not in this export.", r.Type.Label(), r.Target))
			default:
				note(tid[a.ID], fmt.Sprintf("%s annotation %s in another article, “%s” (%s.ann); brat cannot relate annotations of two documents.",
					r.Type.Label(), r.Target, titles[target.ArticleID], target.ArticleID))
			}
		}
	}
	return b.String(), nil
}
