/*
 * Anxun paper service worker (docs/decisions/0021). Registered only by the exam paper (/attempts/:id, scope /attempts/)
 * and the on-site quiz paper (/q/:token/paper, scope /q/), with the build's version in its URL (?v=), which names its
 * cache: a new build installs a new worker and drops the old copies.
 *
 * It keeps exactly two kinds of response, so a reload without network still shows the paper with the answers the
 * page queued in localStorage:
 *   - the paper page itself (GET navigation to a paper URL): network first, the copy only when the network fails;
 *     the page never holds correct answers or explanations (the server selects them only for reviews);
 *   - the site's immutable build files under /build/ (scripts and styles): cache first.
 * Everything else (reviews, data requests, answers, 切屏 reports, POSTs) goes to the network untouched.
 */
const VERSION = new URL(self.location.href).searchParams.get("v") || "dev";
const CACHE = `anxun-paper-${VERSION}`;
const PAPER = /^\/(attempts\/\d{1,12}|[qr]\/[A-Za-z0-9_-]{8,64}\/paper)$/;
const KEPT_HEADERS = ["content-type", "content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options"];

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith("anxun-paper-") && name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

/** A copy without cookies or caching headers: the page's own security headers (its CSP nonce matches its HTML) stay. */
async function copyOf(response) {
  const headers = new Headers();
  for (const name of KEPT_HEADERS) if (response.headers.has(name)) headers.set(name, response.headers.get(name));
  headers.set("x-anxun-offline-copy", "1");
  return new Response(await response.blob(), { status: 200, headers });
}

async function keepPaper(url, response) {
  const cache = await caches.open(CACHE);
  if (response.ok && !response.redirected && response.type === "basic") await cache.put(url, await copyOf(response));
  // Handed in, expired or refused: the paper is over, drop its copy.
  else await cache.delete(url);
}

const isBuild = (url) => url.origin === self.location.origin && url.pathname.startsWith("/build/");

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) {
    event.waitUntil((async () => {
      const cache = await caches.open(CACHE);
      for (const raw of data.urls.slice(0, 100)) {
        const url = new URL(raw, self.location.origin);
        if (url.origin !== self.location.origin) continue;
        try {
          if (isBuild(url)) {
            if (!(await cache.match(url.href))) await cache.add(url.href);
          } else if (PAPER.test(url.pathname)) {
            const res = await fetch(url.href, { credentials: "same-origin", redirect: "follow" });
            await keepPaper(url.origin + url.pathname, res);
          }
        } catch {
          /* offline already: keep what there is */
        }
      }
    })());
  }
  if (data.type === "forget" && typeof data.url === "string") {
    const url = new URL(data.url, self.location.origin);
    event.waitUntil(caches.open(CACHE).then((cache) => cache.delete(url.origin + url.pathname)));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && PAPER.test(url.pathname) && !url.search) {
    event.respondWith((async () => {
      const key = url.origin + url.pathname;
      try {
        const response = await fetch(request);
        await keepPaper(key, response.clone());
        return response;
      } catch (error) {
        const copy = await (await caches.open(CACHE)).match(key);
        if (copy) return copy;
        throw error;
      }
    })());
    return;
  }
  if (isBuild(url)) {
    event.respondWith((async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(request.url);
      if (hit) return hit;
      const response = await fetch(request);
      if (response.ok) await cache.put(request.url, response.clone());
      return response;
    })());
  }
});
