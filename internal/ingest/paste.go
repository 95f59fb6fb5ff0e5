package ingest

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Paste is text copied from a web page after CleanPaste: the article's
// headline, byline and body, and what was left out.
type Paste struct {
	// Title is the headline, or "" when none was recognised.
	Title string
	// Byline is the author line without its "By", or "".
	Byline string
	// Text is the body: paragraphs (and bullets, and subheadings) separated
	// by one blank line, normalised (Normalize).
	Text string
	// Removed lists the lines left out as page furniture, in their order:
	// section labels, dates, share and comment prompts, copy-protection
	// notices, style rules and the like. The headline and the byline are
	// not listed.
	Removed []string
}

// leadLines is how many lines at the top of a paste are searched for the
// headline and the byline.
const leadLines = 8

// CleanPaste reads text copied from a web page (as a browser puts it on
// the clipboard) and separates the article from the page around it.
//
// It keeps paragraphs, subheadings, bullets (indentation trimmed) and
// quotations; it drops whole lines that are page furniture: share, reply
// and comment prompts, "Related Articles" and similar lists (with the
// short link lines that follow them), "Back to top", subscription and
// advertising lines, copy-protection notices ("Content is protected"),
// copyright lines, stray CSS rules or script, and lines without a letter
// or digit. In the first few lines it finds the byline ("By …") and takes
// the short line just above it as the headline, dropping labels above
// that (such as a section name); without a byline, the longest short line
// before the first paragraph is the headline. Dates and reading times
// among those first lines are dropped.
//
// Lines inside one block (not separated by a blank line) stay separate
// paragraphs, except runs of long lines broken mid-sentence (hard-wrapped
// text), which are joined. CleanPaste never fails: text it cannot make
// sense of comes back normalised as the body, without a title.
func CleanPaste(text string) Paste {
	var p Paste
	type line struct {
		s     string
		block int // lines of one block share a number
		idx   int // the line's place among the non-empty lines
	}
	var lines []line
	block := 0
	for raw := range strings.SplitSeq(Normalize(text), "\n") {
		s := strings.TrimSpace(raw)
		if s == "" {
			block++
			continue
		}
		lines = append(lines, line{s, block, len(lines)})
	}
	removed := map[int]bool{}
	remove := func(l line) { removed[l.idx] = true }

	// Furniture, and the link lists after "Related Articles" and the like.
	kept := lines[:0:0]
	inList := false
	for _, l := range lines {
		switch {
		case isListHeading(l.s):
			inList = true
			remove(l)
			continue
		case inList && !isProse(l.s):
			remove(l)
			continue
		case isFurniture(l.s):
			remove(l)
			continue
		}
		inList = false
		kept = append(kept, l)
	}

	// Units: each line, or a whole block when it is one hard-wrapped
	// paragraph.
	var units []line
	for i := 0; i < len(kept); {
		j := i
		for j < len(kept) && kept[j].block == kept[i].block {
			j++
		}
		run := make([]string, 0, j-i)
		for _, l := range kept[i:j] {
			run = append(run, l.s)
		}
		if hardWrapped(run) {
			units = append(units, line{strings.Join(run, " "), kept[i].block, kept[i].idx})
		} else {
			units = append(units, kept[i:j]...)
		}
		i = j
	}

	// The lead: headline, byline, labels and dates above the first
	// paragraph.
	lead := 0
	for lead < len(units) && lead < leadLines && !isProse(units[lead].s) && !isBullet(units[lead].s) {
		lead++
	}
	byline, title := -1, -1
	var candidates []int
	drop := map[int]bool{}
	for i := range lead {
		s := units[i].s
		switch {
		case byline < 0 && isByline(s):
			byline = i
			p.Byline = bylineName(s)
			drop[i] = true
		case isDateLine(s):
			drop[i] = true
			remove(units[i])
		case isTitleLike(s) && byline < 0:
			candidates = append(candidates, i)
		}
	}
	if byline >= 0 && len(candidates) > 0 {
		title = candidates[len(candidates)-1]
	} else {
		for _, i := range candidates {
			if title < 0 || words(units[i].s) > words(units[title].s) {
				title = i
			}
		}
	}
	if title >= 0 {
		p.Title = units[title].s
		drop[title] = true
		for _, i := range candidates {
			if i < title {
				drop[i] = true
				remove(units[i])
			}
		}
	}

	var paras []string
	for i, u := range units {
		if !drop[i] {
			paras = append(paras, u.s)
		}
	}
	p.Text = Normalize(strings.Join(paras, "\n\n"))
	for _, l := range lines {
		if removed[l.idx] {
			p.Removed = append(p.Removed, l.s)
		}
	}
	return p
}

// words returns the number of white-space separated words in s.
func words(s string) int { return len(strings.Fields(s)) }

// endsSentence reports whether s ends like a sentence: with a full stop,
// question or exclamation mark or ellipsis, possibly inside closing quotes
// or brackets.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, "\"'”’»)]")
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?' || r == '…'
}

// isProse reports whether s reads as a paragraph of the article rather
// than a heading, label or link: a dozen words or more, or a sentence of
// six or more.
func isProse(s string) bool {
	n := words(s)
	return n >= 12 || n >= 6 && endsSentence(s)
}

// isTitleLike reports whether s could be a headline: one to 25 words, at
// most MaxTitleLine characters, not ending in a full stop, comma, colon or
// semicolon, and not a bullet.
func isTitleLike(s string) bool {
	n := words(s)
	if n == 0 || n > 25 || utf8.RuneCountInString(s) > MaxTitleLine || isBullet(s) {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".,;:", r)
}

// bulletRE matches a line that starts with a list marker.
var bulletRE = regexp.MustCompile(`^(?:[•◦▪▫‣⁃●○■□·*+–—-]|\d{1,3}[.)])\s`)

// isBullet reports whether s is a list item.
func isBullet(s string) bool { return bulletRE.MatchString(s) }

// bylineRE matches an author line.
var bylineRE = regexp.MustCompile(`^(?i:(?:written |words |posted |reported )?by|von|par|por|author:|authors:)\s+(\S.*)$`)

// isByline reports whether s is an author line such as "By Ana Lima".
func isByline(s string) bool {
	m := bylineRE.FindStringSubmatch(s)
	if m == nil || words(s) > 16 || endsSentence(s) && !strings.HasSuffix(s, ".") {
		return false
	}
	first, _ := utf8.DecodeRuneInString(m[1])
	return unicode.IsUpper(first)
}

// bylineName returns the author part of a byline.
func bylineName(s string) string {
	return strings.TrimSpace(bylineRE.FindStringSubmatch(s)[1])
}

// months matches English month names and their abbreviations.
const months = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`

// dateRE matches the date and reading-time lines found near headlines.
var dateRE = regexp.MustCompile(`(?i)^(?:(?:published|updated|posted|last updated|first published|modified)(?: on| at)?:?\s.*` +
	`|(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\d{1,2}\s+` + months + `|` + months + `\s+\d{1,2})(?:st|nd|rd|th)?,?\s+\d{4}.*` +
	`|\d{4}-\d{2}-\d{2}(?:[ t]\d{2}:\d{2}.*)?` +
	`|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}.*` +
	`|\d+\s+(?:min(?:ute)?s?|hours?|days?)\s+(?:read|ago)` +
	`)$`)

// isDateLine reports whether s is a date, time stamp or reading time.
func isDateLine(s string) bool { return words(s) <= 12 && dateRE.MatchString(s) }

// listHeadingRE matches the headings of link lists that follow articles.
var listHeadingRE = regexp.MustCompile(`(?i)^(?:related(?: articles| posts| stories| news| content| coverage| reading| topics)?` +
	`|more (?:stories|articles|news|on this story|from [^.!?]{1,40})|(?:you|we think you) (?:may|might|could) also like|recommended(?: for you| stories| articles)?` +
	`|(?:most|more) (?:read|popular|viewed|shared)|trending(?: now| stories)?|read next|also read|see also|latest (?:news|stories|posts|articles)` +
	`|popular (?:posts|stories|articles)|don'?t miss|leave a (?:reply|comment)|(?:\d+\s+)?comments?(?:\s*\(\d+\))?|join the (?:conversation|discussion))\s*[:»›>→]?$`)

// isListHeading reports whether s heads a list of links or comments after
// the article.
func isListHeading(s string) bool { return words(s) <= 8 && listHeadingRE.MatchString(s) }

// socialWords are the names found on rows of share buttons.
const socialWords = `(?:share|facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|tumblr|email|e-mail|mail|print|copy link|messenger|threads|bluesky|mastodon|flipboard|pocket|sms|vk|line|viber)`

// furnitureRE matches whole lines of page furniture.
var furnitureRE = regexp.MustCompile(`(?i)^(?:` +
	// share rows and buttons
	`(?:share|tweet|pin it|email|print|copy)(?: this)?(?: (?:article|story|post|page|link))?(?: (?:on|via|with) ` + socialWords + `)?` +
	`|` + socialWords + `(?:[\s|,·•/]+` + socialWords + `)+` +
	`|click to (?:share|print|email).*|link copied.*|share (?:this|the) (?:article|story)(?: on)?.*` +
	// comments
	`|reply|leave a (?:reply|comment)|post comment|cancel reply|(?:view|show|hide|load) (?:\d+ )?comments?|\d+ (?:comments?|replies)` +
	`|your email address will not be published\.?.*|required fields are marked.*` +
	`|save my name, email,? and website in this browser.*|(?:comment|name|email|website)\s*\*?` +
	// navigation
	`|back to top(?: button)?|scroll to top|go to top|top of page|skip to (?:main )?content|jump to (?:content|comments)|toggle navigation|menu|search|close|home` +
	// advertising and subscriptions
	`|advertisements?|sponsored(?: content)?|ad|story continues (?:below|after)(?: the)? advertisement|continue reading(?: below)?|scroll to continue(?: with content)?` +
	`|subscribe(?: now| today| to .{1,60})?|sign up(?: for .{1,60})?|(?:free )?newsletters?|follow us(?: on .{1,60})?|log ?in|sign in|register` +
	`|listen to (?:this )?(?:article|story).*|\d+ min(?:ute)?s? read` +
	// tags and categories
	`|(?:tags?|filed under|categories|category|topics)\s*:.*` +
	// copy protection
	`|(?:error|alert|warning|notice)?\s*:?\s*content is protected\s*!*|you (?:cannot|can't|can not) copy (?:the )?content.*|copying (?:is )?(?:not allowed|prohibited|disabled).*` +
	`|right[- ]?click (?:is )?disabled.*|text selection (?:is )?disabled.*` +
	// copyright
	`|(?:©|\(c\)|copyright\b).*|all rights reserved\.?` +
	`)\s*[:!.»›>→]*$`)

// cssRE matches a style rule, a rule's opening or closing line, or one
// declaration; scriptRE matches a line of script.
var (
	cssRE    = regexp.MustCompile(`^(?:[\w\s.#\[\]="':,>+~*()@%/-]*\{[^{}]*\}|[\w\s.#\[\]="':,>+~*()@%/-]+\{|\}+|@(?:media|import|font-face|keyframes|charset)\b.*|[a-z-]+\s*:\s*[^;{}]+;(?:\s*[a-z-]+\s*:\s*[^;{}]+;)*)\s*$`)
	scriptRE = regexp.MustCompile(`^(?:(?:var|let|const|function)\s+\w+|window\.|document\.|\(function\b|jQuery\(|\$\().*[;{)]\s*$`)
)

// isFurniture reports whether the line s is page furniture rather than
// article text; see CleanPaste.
func isFurniture(s string) bool {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return true
	}
	if cssRE.MatchString(s) && strings.ContainsAny(s, "{};") || scriptRE.MatchString(s) {
		return true
	}
	return words(s) <= 16 && furnitureRE.MatchString(s)
}

// hardWrapped reports whether the lines of one block are a paragraph
// broken into lines of similar length (as in e-mail or plain-text
// sources) rather than separate items: at least two lines, none a bullet,
// every line but the last 30 to 100 characters long, and most of them
// ending mid-sentence.
func hardWrapped(run []string) bool {
	if len(run) < 2 {
		return false
	}
	open := 0
	for _, s := range run[:len(run)-1] {
		n := utf8.RuneCountInString(s)
		if n < 30 || n > 100 || isBullet(s) {
			return false
		}
		if !endsSentence(s) {
			open++
		}
	}
	return !isBullet(run[len(run)-1]) && 2*open >= len(run)-1
}
