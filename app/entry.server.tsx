import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext, HandleDataRequestFunction, HandleErrorFunction } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { contentSecurityPolicy, HSTS } from "./lib/csp.server";
import { log } from "./lib/log.server";
import { NonceContext } from "./lib/nonce";
import { isHttps } from "./lib/public-url.server";
import { startBackgroundJobs } from "./jobs.server";
import { actorFromCookie, takeRenewedSessionCookie } from "./modules/auth/session.server";
import { autosaveAnswer } from "./modules/exams/autosave.server";

const ABORT_DELAY = 5_000;

/**
 * Every error a loader, action or render throws (not the 4xx responses routes throw on purpose) is logged here with
 * the request it came from; the 500 page says it was logged, and it is. Aborted requests (the browser went away) are
 * not errors.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  const url = new URL(request.url);
  log.error({ err: error, method: request.method, path: url.pathname }, "request failed");
};

// Each app process grades attempts whose time ran out, even if nobody opens them again.
startBackgroundJobs();

/**
 * The exam autosave for the server's fast path (scripts/server.js, docs/decisions/0009): the same module function
 * as the route, reached without building a Fetch Request or matching the route tree.
 */
export async function autosaveFromServer(cookieHeader: string | null, attemptId: string, fields: unknown) {
  return autosaveAnswer(await actorFromCookie(cookieHeader), attemptId, fields);
}

/** Security headers every response of the app gets, and the session cookie again when lucia renewed the session. */
function secure(request: Request, headers: Headers) {
  if (isHttps(request)) headers.set("Strict-Transport-Security", HSTS);
  const renewed = takeRenewedSessionCookie(request.headers.get("cookie"));
  // The cookie lives as long as the session (SESSION_DAYS); a renewed session sends it again with the new lifetime.
  if (renewed && !(headers.get("set-cookie") ?? "").includes("anxun_session=")) headers.append("Set-Cookie", renewed);
}

export const handleDataRequest: HandleDataRequestFunction = (response, { request }) => {
  secure(request, response.headers);
  return response;
};

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  const nonce = randomBytes(16).toString("base64");
  if (process.env.NODE_ENV !== "development")
    responseHeaders.set("Content-Security-Policy", contentSecurityPolicy(nonce));
  secure(request, responseHeaders);
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // Cleared once everything is rendered: a pending timer would keep the whole rendered page alive for 5 s.
    const timer = setTimeout(() => abort(), ABORT_DELAY);
    // The page is sent in one piece once everything is rendered (no page streams a deferred part; single fetch's data
    // script is the last Suspense boundary): one socket write instead of one per small chunk React flushes.
    const send = () => {
      shellRendered = true;
      const chunks: Buffer[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done();
        },
        final(done) {
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
          done();
        },
      });
      pipe(sink);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady() {
          clearTimeout(timer);
          send();
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) log.error({ err: error, url: request.url }, "render failed");
        },
      },
    );
  });
}
