// Package fetch downloads a news article from the web and extracts its
// text, title, byline, date and canonical address, for claimmark to
// annotate.
//
// A Fetcher is careful with what it is given, since the address comes from
// a user of a server: only http and https; one time limit for the whole
// fetch; a size limit past which it stops reading; HTML or plain text only;
// a bounded number of redirects, each checked again; and, unless
// Options.AllowPrivate is set, no connection to loopback, private,
// link-local, multicast, unspecified or otherwise reserved addresses. That
// check runs when a connection is made, on the address the host name
// resolved to, so a name that resolves differently on a second look (DNS
// rebinding) or a redirect to such an address is refused as well.
//
// Pages are decoded to UTF-8 from the charset the server or the page
// declares (or UTF-8, or else Windows-1252), the article is found with
// go-readability (codeberg.org/readeck/go-readability/v2), and its text is
// laid out in paragraphs as package ingest does for HTML files. Plain text
// is cleaned as pasted text is (ingest.CleanPaste).
package fetch
