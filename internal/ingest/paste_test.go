package ingest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCleanPaste(t *testing.T) {
	body := "Officials said on Monday that talks would resume next week in Geneva, after a pause of two months."
	tests := []struct {
		name    string
		in      string
		title   string
		byline  string
		text    string
		removed []string
	}{
		{
			name:   "section label, headline and byline",
			in:     "World\n\nTalks resume in Geneva\n\nBy Ana Lima\n\n" + body,
			title:  "Talks resume in Geneva",
			byline: "Ana Lima",
			text:   body,
			removed: []string{
				"World",
			},
		},
		{
			name:  "no byline: the longest short line is the headline",
			in:    "News\n\nTalks resume in Geneva after a pause\n\n" + body,
			title: "Talks resume in Geneva after a pause",
			text:  body, removed: []string{"News"},
		},
		{
			name:    "dates and reading times near the headline",
			in:      "Talks resume in Geneva\nAugust 19, 2025\n4 min read\n\n" + body,
			title:   "Talks resume in Geneva",
			text:    body,
			removed: []string{"August 19, 2025", "4 min read"},
		},
		{
			name: "share rows, comments and back to top",
			in: "Talks resume\n\n" + body + "\n\nShare this article\n\nFacebook Twitter WhatsApp Email\n\n" +
				"Second paragraph of the story, which also has enough words to be prose.\n\n" +
				"Leave a Reply\n\nCancel reply\n\nBack to top button",
			title: "Talks resume",
			text:  body + "\n\nSecond paragraph of the story, which also has enough words to be prose.",
			removed: []string{"Share this article", "Facebook Twitter WhatsApp Email",
				"Leave a Reply", "Cancel reply", "Back to top button"},
		},
		{
			name: "related articles with their link titles",
			in: "Talks resume\n\n" + body + "\n\nRelated Articles\n\nCeasefire hopes fade\n\nWhat the summit means for Europe\n\n" +
				"This paragraph after the list is long enough to be article text again, so it is kept.",
			title:   "Talks resume",
			text:    body + "\n\nThis paragraph after the list is long enough to be article text again, so it is kept.",
			removed: []string{"Related Articles", "Ceasefire hopes fade", "What the summit means for Europe"},
		},
		{
			name: "copy protection, CSS and script",
			in: "Talks resume\n\n" + body + "\n\nerror: Content is protected !!\n" +
				".entry-content p { margin: 0 0 1em; }\n}\nmargin-bottom: 40px;\n" +
				"window.dataLayer = window.dataLayer || [];\n© 2025 Example Media. All rights reserved.",
			title: "Talks resume",
			text:  body,
			removed: []string{"error: Content is protected !!", ".entry-content p { margin: 0 0 1em; }", "}",
				"margin-bottom: 40px;", "window.dataLayer = window.dataLayer || [];", "© 2025 Example Media. All rights reserved."},
		},
		{
			name:  "bullets and quotes are kept, indentation trimmed",
			in:    "Talks resume\n\nThe agenda covered:\n\n  • prisoner exchanges,\n  • a ceasefire line.\n\n“We are ready,” she said.",
			title: "Talks resume",
			text:  "The agenda covered:\n\n• prisoner exchanges,\n\n• a ceasefire line.\n\n“We are ready,” she said.",
		},
		{
			name:  "hard-wrapped lines are joined",
			in:    "Talks resume\n\nOfficials said on Monday that the talks would\nresume next week in Geneva after a pause of\ntwo months, and that both sides had agreed.",
			title: "Talks resume",
			text:  "Officials said on Monday that the talks would resume next week in Geneva after a pause of two months, and that both sides had agreed.",
		},
		{
			name:  "short lines in a block stay apart",
			in:    "Talks resume\n\nGeneva talks\nMonday\n\n" + body,
			title: "Talks resume",
			text:  "Geneva talks\n\nMonday\n\n" + body,
		},
		{
			name: "prose only: no title",
			in:   body,
			text: body,
		},
		{
			name:  "a sentence that mentions sharing is kept",
			in:    "Talks resume\n\nBoth sides agreed to share intelligence on troop movements, the ministry said.",
			title: "Talks resume",
			text:  "Both sides agreed to share intelligence on troop movements, the ministry said.",
		},
		{
			name: "empty",
			in:   "\n \n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := CleanPaste(tt.in)
			if p.Title != tt.title || p.Byline != tt.byline {
				t.Errorf("title %q, byline %q; want %q, %q", p.Title, p.Byline, tt.title, tt.byline)
			}
			if p.Text != tt.text {
				t.Errorf("text:\n%s\nwant:\n%s", p.Text, tt.text)
			}
			if !slices.Equal(p.Removed, tt.removed) {
				t.Errorf("removed %q, want %q", p.Removed, tt.removed)
			}
			if p.Text != Normalize(p.Text) {
				t.Errorf("text is not normalised")
			}
			if again := CleanPaste(p.Text); again.Text != p.Text && p.Title == "" {
				t.Errorf("cleaning the cleaned text changed it: %q", again.Text)
			}
		})
	}
}

func TestCleanPasteCorpus(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "corpus", "ceasefire-talks.txt")
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("corpus not found at %s (it lives beside the clone, in ../shared)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	p := CleanPaste(string(data))
	if p.Title != "Trump Pushes for Zelensky-Putin Talk" {
		t.Errorf("title = %q, want the headline, not the section label above it", p.Title)
	}
	if p.Byline != "Samir Kr. Singh : Editor-In-Chief" {
		t.Errorf("byline = %q", p.Byline)
	}
	if !strings.HasPrefix(p.Text, "Washington, D.C. — U.S. President Donald Trump announced") {
		t.Errorf("text starts %q, want the first paragraph", p.Text[:60])
	}
	if !strings.HasSuffix(p.Text, "“can talk a little bit more” about ceasefire options during future direct talks.") {
		t.Errorf("text ends %q, want the last paragraph", p.Text[len(p.Text)-80:])
	}
	paras := strings.Split(p.Text, "\n\n")
	for _, kept := range []string{
		"Western Leaders Stress Security Guarantees at Summit",
		"Debate Over Security Guarantees",
		"Russia Rejects NATO-Linked Proposals",
		"Talks of Ceasefire Amid Future Summits",
		"The leaders reaffirmed the need for strong security guarantees to ensure a just and lasting peace in Ukraine. Discussions covered:",
		"• Plans for future Ukrainian-Russian meetings,",
		"• NATO and EU support for Ukraine,",
		"• Frameworks for long-term security guarantees.",
	} {
		if !slices.Contains(paras, kept) {
			t.Errorf("paragraph %q is missing", kept)
		}
	}
	if !strings.Contains(p.Text, "Maria Zakharova dismissed the idea outright, stating Moscow “categorically rejects” any plan") {
		t.Error("the quotation of Zakharova is not intact")
	}
	wantRemoved := []string{
		"World War",
		"Related Articles",
		"Leave a Reply",
		"Your email address will not be published. Required fields are marked *",
		"Back to top button",
		"error: Content is protected !!",
		`.site-below-footer-wrap[data-section="section-below-footer-builder"] { margin-bottom: 40px;}`,
	}
	if !slices.Equal(p.Removed, wantRemoved) {
		t.Errorf("removed:\n%q\nwant:\n%q", p.Removed, wantRemoved)
	}
	for _, gone := range []string{"World War", "By Samir", "Related Articles", "Leave a Reply", "Back to top", "protected", "margin-bottom"} {
		if strings.Contains(p.Text, gone) {
			t.Errorf("text still contains %q", gone)
		}
	}
	if len(paras) != 23 {
		t.Errorf("%d paragraphs, want 23 (16 paragraphs, 4 subheadings and 3 bullets)", len(paras))
	}
}
