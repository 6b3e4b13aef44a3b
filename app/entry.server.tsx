import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { startBackgroundJobs } from "./jobs.server";
import { actorFromCookie } from "./modules/auth/session.server";
import { autosaveAnswer } from "./modules/exams/autosave.server";

const ABORT_DELAY = 5_000;

// Each app process grades attempts whose time ran out, even if nobody opens them again.
startBackgroundJobs();

/**
 * The exam autosave for the server's fast path (scripts/server.js, docs/decisions/0009): the same module function
 * as the route, reached without building a Fetch Request or matching the route tree.
 */
export async function autosaveFromServer(cookieHeader: string | null, attemptId: string, fields: unknown) {
  return autosaveAnswer(await actorFromCookie(cookieHeader), attemptId, fields);
}

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext, _loadContext: AppLoadContext) {
  const bot = isbot(request.headers.get("user-agent") ?? "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />,
      {
        [bot ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
