package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAccountTokensAndGroups: on the account page the owner makes an API
// token (its secret shown once works as a Bearer token), sees it listed
// and revokes it (it stops working); the account menu's group switcher
// moves the library from the Team to the owner's own space and back.
func TestAccountTokensAndGroups(t *testing.T) {
	needServer(t)
	if teamOf(env.base) == "" {
		t.Skip("the server runs without accounts")
	}
	art := createArticle(t, "In the Team "+t.Name(), "The harbour master said the quay is safe.\n\nThis copy is for "+t.Name()+".")
	p := newPage(t)
	p.do("opening the account page", chromedp.Navigate(env.base+"/account"))
	p.waitFor("the token form, live", `!!document.getElementById("token-list") && !!document.getElementById("token-create") && !document.getElementById("token-create").disabled`)
	name := "laptop " + strings.ToLower(t.Name())
	p.do("naming the token", chromedp.SendKeys(chromedp.ID("token-name"), name))
	p.do("creating the token", chromedp.Click(chromedp.ID("token-create")))
	p.waitFor("the secret, shown once", `((document.getElementById("token-secret") || {}).value || "").length >= 32`)
	secret := eval[string](p, `document.getElementById("token-secret").value`)
	p.waitFor("the token listed", fmt.Sprintf(`Array.from(document.querySelectorAll("#token-list .token")).some(li => li.textContent.includes(%s))`, js(name)))
	if got := bearerMe(t, secret); got != http.StatusOK {
		t.Fatalf("GET /api/me with the new token = %d, want 200", got)
	}
	p.do("asking to revoke", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#token-list button[aria-label=%q]`, "Revoke "+name))))
	p.waitFor("the confirmation", `!!document.querySelector("#token-list .confirm .danger")`)
	p.do("revoking", chromedp.Click(chromedp.CSS(`#token-list .confirm .danger`)))
	p.waitFor("the token gone from the list", fmt.Sprintf(`!Array.from(document.querySelectorAll("#token-list .token")).some(li => li.textContent.includes(%s))`, js(name)))
	if got := bearerMe(t, secret); got != http.StatusUnauthorized {
		t.Errorf("GET /api/me with the revoked token = %d, want 401", got)
	}

	// The group switcher: the Team's article, then the owner's own space.
	p.openLibrary()
	p.waitFor("the Team's article", fmt.Sprintf(`!!document.querySelector('.article-row[data-id=%s]')`, js(art.ID)))
	p.do("opening the account menu", chromedp.Click(chromedp.ID("account-button")))
	p.waitFor("the group switcher", `!!document.getElementById("group-switch")`)
	own := eval[string](p, `Array.from(document.querySelectorAll("#group-switch option")).find(o => o.textContent.startsWith("Only me")).value`)
	p.do("choosing Only me", chromedp.SetValue(chromedp.ID("group-switch"), own),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("group-switch").dispatchEvent(new Event("change", {bubbles: true}))`))
	p.waitFor("the library of the owner's own space", `((document.getElementById("library-group") || {}).textContent || "").includes("Only me") && !!document.querySelector(".articles, .empty")`)
	if eval[bool](p, fmt.Sprintf(`!!document.querySelector('.article-row[data-id=%s]')`, js(art.ID))) {
		t.Error("the owner's own space lists the Team's article")
	}
	p.do("reloading", chromedp.Navigate(env.base+"/"))
	p.waitFor("the choice kept on this device", `((document.getElementById("library-group") || {}).textContent || "").includes("Only me")`)
}

// bearerMe returns the status of GET /api/me with token as a Bearer token.
func bearerMe(t *testing.T, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, env.base+"/api/me", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}
