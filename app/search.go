package app

import (
	"context"
	"net/url"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// searchDebounce is how long the box must be quiet before a search runs
// as you type.
const searchDebounce = 250 * time.Millisecond

// searchPage is the search at /search: the box, the facets as filters, the
// dates and the sort beside the results, and the "Who said what" chart.
// Its state lives in the URL (searchState): every change of filter, sort,
// page or view navigates (a history entry, so Back and Forward work), and
// OnNav reads the URL and searches. Typing searches after a pause and
// replaces the URL instead of adding an entry per word; Enter commits.
type searchPage struct {
	app.Compo
	s       *session
	testURL string // the URL to open instead of the page's (tests)

	st       searchState // the search shown, as the URL carries it
	navURL   string      // the URL of the last navigation to the page (go-app's)
	boxValue string      // the box's value as last set from the URL
	input    string      // what the box holds now
	timer    *time.Timer // debounce of typing; UI goroutine only

	seq      int // numbers searches, so that late answers are dropped
	loading  bool
	res      *annotation.Results
	resFor   searchState // the search res answers
	queryErr string      // why the query could not be run, shown by the box
	failed   string      // why the search failed otherwise
	chart    []whoRow
	help     bool
	live     string
	sync     outboxStatus
	release  []func()

	filtersOpen bool // the filters are shown on narrow screens (filters.go)
}

// OnNav reads the search from the URL and runs it. go-app calls it when
// the page is opened, on every navigation to /search (links, Back and
// Forward) and while prerendering, where there is no API and the page
// shows the box and the state of the URL only.
func (c *searchPage) OnNav(ctx app.Context) {
	u := ctx.Page().URL()
	if c.testURL != "" {
		if tu, err := url.Parse(c.testURL); err == nil {
			u = tu
		}
	}
	c.st = parseSearchState(u.Query())
	c.navURL = c.st.URL()
	c.input, c.boxValue = c.st.Q, c.st.Q
	c.stopTimer()
	c.setTitle(ctx)
	if app.IsClient {
		q := c.st.Q
		ctx.Defer(func(app.Context) { // the box may hold what was typed before Back
			if el := document().Call("getElementById", "search-box"); el.Truthy() && el.Get("value").String() != q {
				el.Set("value", q)
			}
		})
	}
	c.search(ctx)
}

// OnPreRender does what OnNav does, for go-app's server side.
func (c *searchPage) OnPreRender(ctx app.Context) { c.OnNav(ctx) }

// OnMount focuses the box and follows the sync state.
func (c *searchPage) OnMount(ctx app.Context) {
	ctx.Defer(func(app.Context) { focusSelector("#search-box") })
	if _, box := c.s.start(); box != nil {
		c.sync = box.Status()
		c.release = append(c.release, box.Subscribe(func(ev outboxEvent) {
			ctx.Dispatch(func(ctx app.Context) { c.sync = box.Status() })
		}))
	}
}

// OnDismount stops the debounce and the listeners.
func (c *searchPage) OnDismount() {
	c.stopTimer()
	for _, f := range c.release {
		f()
	}
	c.release = nil
}

// setTitle names the page after its query.
func (c *searchPage) setTitle(ctx app.Context) {
	if c.st.Q != "" {
		ctx.Page().SetTitle("%s · Search · claimmark", clip(c.st.Q, 60))
		return
	}
	ctx.Page().SetTitle("Search · claimmark")
}

// search runs the search of c.st: one page of hits and the facets, and
// for the chart the speaker facets per kind. Answers to searches that
// another has replaced meanwhile are dropped.
func (c *searchPage) search(ctx app.Context) {
	api, _ := c.s.start()
	if api == nil {
		return
	}
	c.seq++
	seq, st := c.seq, c.st
	q, err := st.query(searchPageSize)
	if err != nil {
		c.loading, c.res, c.chart, c.failed = false, nil, nil, ""
		c.queryErr = errorText(err)
		c.live = c.queryErr
		return
	}
	c.loading = true
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		res, err := api.Search(rctx, q)
		var rows []whoRow
		if err == nil && st.View == searchViewChart {
			rows, err = chartRows(rctx, api, q, res)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if seq != c.seq {
				return
			}
			c.loading = false
			c.answer(st, res, rows, err)
		})
	})
}

// answer shows the outcome of the search of st.
func (c *searchPage) answer(st searchState, res *annotation.Results, rows []whoRow, err error) {
	if err != nil {
		c.res, c.chart = nil, nil
		if annotation.ErrorCode(err) == annotation.Invalid || annotation.ErrorCode(err) == annotation.TooLarge {
			c.queryErr, c.failed = errorText(err), ""
			c.live = c.queryErr
			return
		}
		c.queryErr, c.failed = "", "Could not search: "+errorText(err)
		c.live = c.failed
		return
	}
	c.queryErr, c.failed = "", ""
	c.res, c.resFor, c.chart = res, st, rows
	c.live = resultsText(st, res)
}

// chartRows makes the rows of the "Who said what" chart for q, whose
// results are res: up to three more searches (one per kind that has
// matches, one hit each) give the speaker counts per kind.
func chartRows(ctx context.Context, api API, q annotation.Query, res *annotation.Results) ([]whoRow, error) {
	speakers := chartSpeakers(res.Facets)
	if q.Kind != "" || len(speakers) == 0 {
		return whoSaidWhat(speakers, [3][]annotation.FacetValue{}, q.Kind), nil
	}
	var (
		perKind [3][]annotation.FacetValue
		errs    [3]error
		wg      sync.WaitGroup
	)
	for _, kv := range res.Facets.Kind {
		i := kindIndex(annotation.Kind(kv.Value))
		if i < 0 || kv.Count == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			kq := q
			kq.Kind, kq.Page, kq.Size, kq.Sort = annotation.Kinds[i], 1, 1, ""
			r, err := api.Search(ctx, kq)
			if err != nil {
				errs[i] = err
				return
			}
			perKind[i] = append([]annotation.FacetValue{}, chartSpeakers(r.Facets)...) // non-nil: this kind was asked
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return whoSaidWhat(speakers, perKind, ""), nil
}

// onInput follows the box: the search runs once typing pauses.
func (c *searchPage) onInput(ctx app.Context, e app.Event) {
	c.input = ctx.JSSrc().Get("value").String()
	c.stopTimer()
	c.timer = time.AfterFunc(searchDebounce, func() {
		ctx.Dispatch(func(ctx app.Context) { c.commitTyping(ctx) })
	})
	ctx.PreventUpdate()
}

// commitTyping searches what the box holds, replacing the URL.
func (c *searchPage) commitTyping(ctx app.Context) {
	if !c.Mounted() || c.input == c.st.Q {
		return
	}
	c.st = c.st.with(func(s *searchState) { s.Q = c.input })
	replaceURL(c.st.URL())
	c.setTitle(ctx)
	c.search(ctx)
}

// onSubmit searches at once (Enter), adding a history entry.
func (c *searchPage) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	c.stopTimer()
	if el := document().Call("getElementById", "search-box"); el.Truthy() {
		c.input = el.Get("value").String()
	}
	c.goTo(ctx, c.st.with(func(s *searchState) { s.Q = c.input }))
}

// goTo shows next: a navigation (history entry; OnNav searches), or, when
// go-app would ignore it as the page it last navigated to, a search in
// place with the URL replaced.
func (c *searchPage) goTo(ctx app.Context, next searchState) {
	if u := next.URL(); u != c.navURL && u != currentURL() {
		ctx.Navigate(u)
		return
	}
	c.st = next
	replaceURL(next.URL())
	c.setTitle(ctx)
	c.search(ctx)
}

// onNavSearch follows the top bar's Search link (href /search) on this
// page: it shows the empty search. go-app ignores a link to the URL it
// last navigated to, which typing (replacing the URL) leaves behind; so
// when that URL is the bare /search the page resets itself, else go-app
// navigates and OnNav does it.
func (c *searchPage) onNavSearch(ctx app.Context) {
	if c.navURL != SearchPath {
		return
	}
	c.stopTimer()
	if c.input != "" || c.st.URL() != SearchPath {
		c.input, c.boxValue = "", ""
		if app.IsClient {
			if el := document().Call("getElementById", "search-box"); el.Truthy() {
				el.Set("value", "")
			}
		}
		c.goTo(ctx, searchState{})
	}
	ctx.Defer(func(app.Context) { focusSelector("#search-box") })
}

// onSince, onUntil and onSort change the date range and the order.
func (c *searchPage) onSince(ctx app.Context, e app.Event) {
	v := ctx.JSSrc().Get("value").String()
	c.goTo(ctx, c.st.with(func(s *searchState) { s.Q, s.Since = c.input, v }))
}

func (c *searchPage) onUntil(ctx app.Context, e app.Event) {
	v := ctx.JSSrc().Get("value").String()
	c.goTo(ctx, c.st.with(func(s *searchState) { s.Q, s.Until = c.input, v }))
}

func (c *searchPage) onSort(ctx app.Context, e app.Event) {
	v := ctx.JSSrc().Get("value").String()
	c.goTo(ctx, c.st.with(func(s *searchState) {
		s.Q, s.Sort = c.input, ""
		if v == annotation.SortNewest {
			s.Sort = v
		}
	}))
}

// onHelp shows or hides the query syntax help.
func (c *searchPage) onHelp(ctx app.Context, e app.Event) { c.help = !c.help }

// onExample puts an example of the help into the box and searches it.
func (c *searchPage) onExample(ctx app.Context, e app.Event) {
	ex := ctx.JSSrc().Get("dataset").Get("example").String()
	c.input = ex
	if el := document().Call("getElementById", "search-box"); el.Truthy() {
		el.Set("value", ex)
		el.Call("focus")
	}
	c.goTo(ctx, c.st.with(func(s *searchState) { s.Q = ex }))
}

func (c *searchPage) stopTimer() {
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
}

// currentURL returns the path and query of the page's URL in the browser,
// "" elsewhere.
func currentURL() string {
	if !app.IsClient {
		return ""
	}
	u := app.Window().URL()
	if u.RawQuery == "" {
		return u.Path
	}
	return u.Path + "?" + u.RawQuery
}

// replaceURL replaces the page's URL in the history (no new entry).
func replaceURL(u string) {
	if app.IsClient {
		app.Window().Get("history").Call("replaceState", nil, "", u)
	}
}

// box returns the session's outbox (nil when prerendering).
func (c *searchPage) box() *outbox {
	_, b := c.s.start()
	return b
}
