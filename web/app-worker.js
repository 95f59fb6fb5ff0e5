// claimmark service worker: the template behind go-app's Handler.ServiceWorkerTemplate.
// go-app fills in {{.Version}} and {{.ResourcesToCache}} (a JSON array) when it serves
// /app-worker.js. Our origin only; see ../shared/notes/goapp.md §3.
//
//   - install: precache the app shell into "app-<Version>"; a failed precache fails the
//     install (waitUntil), so a half-filled cache never becomes active.
//   - activate: drop every cache but this version's shell and the runtime cache, and
//     from the runtime cache every answer marked no-store (an earlier worker kept them),
//     take control of open pages, and keep copies of those pages (and, for an article
//     page, of its API data) in the runtime cache: they loaded before this worker could
//     see their requests, and must open offline after this one visit.
//   - navigations: network first (kept in the runtime cache); offline, the cached copy
//     of that page, else the cached shell "/", which boots the app on the same URL.
//     A response marked Cache-Control: no-store is never kept, nor served from the
//     cache should one be there: a reader's page that carries its article
//     (cmd/claimmark readerpage.go) is the signed-in caller's, of its moment, and
//     offline the shell opens the device's copy of the article instead.
//   - an answer taken from the cache because the network failed carries the header
//     X-Claimmark-Cache: offline, so the app knows the server is out of reach (it then
//     prefers its own copies in IndexedDB, which include what it saved since).
//   - same-origin GET /api/...: network first, kept in the runtime cache (not searches
//     and exports, which the app answers from the device when offline).
//   - everything else: the precache first, then the network.
//   - writes (anything but GET) always go to the network.
"use strict";

const VERSION = "{{.Version}}";
const SHELL = "app-" + VERSION;
const RUNTIME = "runtime";
const PRECACHE = {{.ResourcesToCache}};
const RUNTIME_LIMIT = 500; // entries kept in the runtime cache, oldest dropped first

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k !== SHELL && k !== RUNTIME).map((k) => caches.delete(k))
        )
      )
      .then(() => dropNoStore())
      .then(() => self.clients.claim())
      .then(() => warmOpenPages())
  );
});

// apiFor returns the API URLs that the page at path reads, beyond the shell.
function apiFor(path) {
  const m = path.match(/^\/articles\/([^/]+)$/);
  return m ? ["/api/articles/" + m[1], "/api/articles/" + m[1] + "/annotations"] : [];
}

// warmOpenPages stores the open same-origin pages and their API data in the runtime
// cache. Failures are ignored: this only adds offline copies.
async function warmOpenPages() {
  const runtime = await caches.open(RUNTIME);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const urls = new Set();
  for (const w of windows) {
    const u = new URL(w.url);
    if (u.origin !== self.location.origin) {
      continue;
    }
    urls.add(u.origin + u.pathname + u.search);
    apiFor(u.pathname).forEach((p) => urls.add(u.origin + p));
  }
  await Promise.all(
    [...urls].map((u) =>
      fetch(u, { credentials: "same-origin" })
        .then((res) => (keepable(res) ? runtime.put(u, res) : undefined))
        .catch(() => {})
    )
  );
}

// keepable reports whether res may go into the runtime cache: a good answer of our
// origin that does not forbid storing it.
function keepable(res) {
  return res.ok && res.type === "basic" && !noStore(res);
}

// noStore reports whether res is marked Cache-Control: no-store.
function noStore(res) {
  return /no-store/i.test(res.headers.get("Cache-Control") || "");
}

// dropNoStore deletes from the runtime cache the answers marked no-store: workers
// before this rule kept every good answer, among them reader's pages that carry
// their article. Failures are ignored; networkFirst never serves such an entry.
async function dropNoStore() {
  try {
    const runtime = await caches.open(RUNTIME);
    for (const req of await runtime.keys()) {
      const res = await runtime.match(req);
      if (res && noStore(res)) {
        await runtime.delete(req);
      }
    }
  } catch (err) {
    // an offline copy less, or one left for networkFirst to pass over
  }
}

// trim keeps the runtime cache under RUNTIME_LIMIT entries.
async function trim(cache) {
  const keys = await cache.keys();
  for (let i = 0; i < keys.length - RUNTIME_LIMIT; i++) {
    await cache.delete(keys[i]);
  }
}

// networkFirst answers from the network and keeps good answers in the runtime cache;
// offline it answers with the runtime copy (unless it is marked no-store), then with
// the cached fallback (if any).
async function networkFirst(event, req, fallback) {
  const runtime = await caches.open(RUNTIME);
  try {
    const res = await fetch(req);
    if (keepable(res)) {
      const copy = res.clone();
      event.waitUntil(runtime.put(req, copy).then(() => trim(runtime)).catch(() => {}));
    }
    return res;
  } catch (err) {
    let hit = await runtime.match(req);
    if (hit && noStore(hit)) {
      hit = undefined;
    }
    hit = hit || (fallback && (await caches.match(fallback)));
    return hit ? offlineCopy(hit) : Response.error();
  }
}

// offlineCopy returns res marked as taken from the cache while the network failed.
function offlineCopy(res) {
  const headers = new Headers(res.headers);
  headers.set("X-Claimmark-Cache", "offline");
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

// cacheFirst answers from this version's precache, else from the network.
async function cacheFirst(req) {
  const shell = await caches.open(SHELL);
  return (await shell.match(req)) || fetch(req);
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") {
    return; // writes go straight to the network
  }
  const url = new URL(req.url);
  if (req.mode === "navigate") {
    event.respondWith(networkFirst(event, req, "/"));
    return;
  }
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.startsWith("/annotations/")) {
    return; // the Web Annotation Protocol container: always the network
  }
  if (url.pathname.startsWith("/api/")) {
    if (url.pathname === "/api/search" || url.pathname === "/api/export") {
      return;
    }
    event.respondWith(networkFirst(event, req));
    return;
  }
  event.respondWith(cacheFirst(req));
});
