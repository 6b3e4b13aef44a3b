/**
 * Register the paper service worker (public/paper-sw.js, docs/decisions/0021) for this paper's scope only, named by the
 * build's version, and hand it this page and the build files it loaded to keep for a reload without network.
 */
export function registerPaperWorker(scope: string): () => void {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return () => {};
  let cancelled = false;
  const version = (window as unknown as { __remixManifest?: { version?: string } }).__remixManifest?.version ?? "dev";
  const urls = () => {
    const found = new Set<string>([location.pathname]);
    for (const e of performance.getEntriesByType("resource")) {
      const u = new URL(e.name, location.href);
      if (u.origin === location.origin && u.pathname.startsWith("/build/")) found.add(u.pathname);
    }
    document
      .querySelectorAll<HTMLScriptElement | HTMLLinkElement>(
        "script[src], link[rel=modulepreload], link[rel=stylesheet]",
      )
      .forEach((el) => {
        const raw = "src" in el && el.src ? el.src : "href" in el ? el.href : "";
        if (!raw) return;
        const u = new URL(raw, location.href);
        if (u.origin === location.origin && u.pathname.startsWith("/build/")) found.add(u.pathname);
      });
    return [...found];
  };
  navigator.serviceWorker
    .register(`/paper-sw.js?v=${encodeURIComponent(version)}`, { scope })
    .then((registration) => {
      // Not `serviceWorker.ready`: a paper reached by a client-side navigation (from 考试须知) lives in a document
      // created outside the scope, which the worker never controls; it can still keep the paper for the next load.
      const worker = registration.installing ?? registration.waiting ?? registration.active;
      if (!worker) return;
      const keep = () => {
        if (!cancelled && worker.state === "activated") worker.postMessage({ type: "keep", urls: urls() });
      };
      if (worker.state === "activated") keep();
      else worker.addEventListener("statechange", keep);
    })
    .catch(() => {
      /* no service worker (private mode, old browser): answers are still queued in localStorage */
    });
  return () => {
    cancelled = true;
  };
}

/** Drop this page's offline copy (after handing in). */
export function forgetPaperCopy() {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.controller?.postMessage({ type: "forget", url: location.pathname });
}
