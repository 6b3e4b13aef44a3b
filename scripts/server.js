/**
 * The HTTP server: Express in front of the Remix build. It does the cross-cutting HTTP work that Remix v2
 * has no hook for: an Origin check on every mutation, a body-size limit, the client IP for rate limits,
 * security headers, compression and static files. Run `npm run build` first.
 */
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";

const log = pino({ base: { pid: process.pid, app: "anxun" }, level: process.env.LOG_LEVEL ?? "info" });

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PORT = Number(process.env.PORT ?? 3000);
const HOST = process.env.HOST ?? "0.0.0.0";
const MAX_BODY_BYTES = Number(process.env.MAX_BODY_BYTES ?? 10 * 1024 * 1024);
// A region's certificate file (decision 0023) streams to disk, not memory: its own, larger limit on its one path.
const SYNC_UPLOAD_PATH = /^\/certification\/sync\/?$/;
const SYNC_MAX_BYTES = Number(process.env.CERT_SYNC_MAX_BYTES ?? 2 * 1024 * 1024 * 1024);
const bodyLimit = (req) => (req.method === "POST" && SYNC_UPLOAD_PATH.test(req.path) ? SYNC_MAX_BYTES : MAX_BODY_BYTES);
const dev = process.env.NODE_ENV !== "production";

const app = express();
app.disable("x-powered-by");
// Behind a load balancer set TRUST_PROXY (e.g. "1" or "loopback") so req.ip is the client's.
if (process.env.TRUST_PROXY)
  app.set(
    "trust proxy",
    /^\d+$/.test(process.env.TRUST_PROXY) ? Number(process.env.TRUST_PROXY) : process.env.TRUST_PROXY,
  );
app.use(compression());

app.use((req, res, next) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  // Only this server may tell the app the client address.
  req.headers["x-anxun-client-ip"] = req.ip ?? req.socket.remoteAddress ?? "unknown";
  next();
});

// --- security (docs/security.md) ---
// HSTS on responses that reached us over HTTPS (req.secure counts X-Forwarded-Proto only with TRUST_PROXY). Without
// TRUST_PROXY, forwarded-host headers are dropped, so nothing downstream can build links from them.
// Forms anyone may post without an account get a small body limit: they hold a few short fields.
const SMALL_BODY_BYTES = 16 * 1024;
const SMALL_BODY_PATHS = /^\/(login|q|q\/[^/]+)\/?$/;
// One exception: joining a quiz whose inspector asked for a photo sends the (browser-shrunk) photo with the form.
// Only a multipart join to /q/<token> gets this much; the app takes a photo there only when the quiz asks for one
// (app/routes/q.$token._index.tsx, JOIN_PHOTO_BODY_BYTES: 1 MB photo + 16 KB of fields and headers).
const JOIN_PHOTO_BODY_BYTES = 1024 * 1024 + 16 * 1024;
const JOIN_PATH = /^\/q\/[A-Za-z0-9_-]{24}(\.data)?\/?$/; // .data: the same POST made by the page (single fetch)
const bodyLimitOf = (req) =>
  JOIN_PATH.test(req.path) && (req.headers["content-type"] ?? "").startsWith("multipart/form-data")
    ? JOIN_PHOTO_BODY_BYTES
    : SMALL_BODY_BYTES;
app.use((req, res, next) => {
  if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  if (!app.get("trust proxy")) {
    delete req.headers["x-forwarded-host"];
    delete req.headers["x-forwarded-proto"];
  }
  if (
    req.method === "POST" &&
    SMALL_BODY_PATHS.test(req.path) &&
    Number(req.headers["content-length"] ?? 0) > bodyLimitOf(req)
  ) {
    return res
      .status(413)
      .type("text/plain; charset=utf-8")
      .send(
        bodyLimitOf(req) > SMALL_BODY_BYTES
          ? "照片超过 1 MB，未保存：请重新拍照或选择较小的照片。"
          : "提交的内容过大，请刷新页面后重试。",
      );
  }
  next();
});
// --- end security ---

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const FOREIGN_SOURCE = "请求来源校验失败：请从本站页面提交。";
/** Does the request's Origin (or Referer) name this host? Forwarded hosts count only behind a trusted proxy. */
function fromThisSite(req) {
  const source = req.headers.origin ?? req.headers.referer;
  let sourceHost = null;
  try {
    sourceHost = source && source !== "null" ? new URL(source).host : null;
  } catch {
    sourceHost = null;
  }
  const host =
    req.headers["x-forwarded-host"] && app.get("trust proxy") ? req.headers["x-forwarded-host"] : req.headers.host;
  return Boolean(sourceHost) && sourceHost === host;
}

/** Reject cross-site mutations: the Origin (or Referer) must name this host. */
app.use((req, res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const declared = Number(req.headers["content-length"] ?? 0);
  const limit = bodyLimit(req);
  if (declared > limit) {
    return refuse(res, 413, `提交的内容过大（上限 ${Math.round(limit / 1024 / 1024)} MB）。`);
  }
  if (!fromThisSite(req)) return refuse(res, 403, FOREIGN_SOURCE);
  // Count what actually arrives too, for bodies sent without a length.
  let received = 0;
  req.on("data", (chunk) => {
    received += chunk.length;
    if (received > limit) req.destroy();
  });
  next();
});

function refuse(res, status, message) {
  res.status(status).type("text/plain; charset=utf-8").send(message);
}

// The login page of a visitor without a session is the same page for everyone except its CSP nonce: every examinee
// of an exam day opens it at once. It is rendered by the build itself (the whole Remix request: loaders, React,
// headers), kept for a minute, and sent again with a fresh nonce in the markup and the policy. Anything else
// (a query such as ?next=, a session cookie, another method or spelling of the path) goes to Remix. docs/decisions/0033.
const LOGIN_PAGE_TTL_MS = 60_000;
let loginPage = null; // { build, at, parts, csp, contentType } | null
let loginRender = null;
async function renderLoginPage() {
  const { createRequestHandler: createRemixHandler } = await import("@remix-run/node");
  const rendered = await createRemixHandler(
    build,
    build.mode,
  )(new Request("http://localhost/login", { headers: { "x-anxun-client-ip": "127.0.0.1" } }));
  const csp = rendered.headers.get("content-security-policy") ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  const html = await rendered.text();
  // Only a plain page may be kept: no cookie, no redirect, a nonce to replace.
  if (rendered.status !== 200 || rendered.headers.has("set-cookie") || !nonce) return null;
  return {
    build,
    at: Date.now(),
    parts: html.split(nonce),
    csp: csp.split(nonce),
    contentType: rendered.headers.get("content-type") ?? "text/html; charset=utf-8",
  };
}
app.get("/login", async (req, res, next) => {
  if (
    dev ||
    req.method !== "GET" ||
    req.originalUrl !== "/login" ||
    /(?:^|;)\s*anxun_session=/.test(req.headers.cookie ?? "")
  )
    return next();
  try {
    if (!loginPage || loginPage.build !== build || Date.now() - loginPage.at > LOGIN_PAGE_TTL_MS) {
      loginRender ??= renderLoginPage().finally(() => (loginRender = null));
      loginPage = await loginRender;
      if (!loginPage) return next();
    }
    const nonce = randomBytes(16).toString("base64");
    res.setHeader("Content-Security-Policy", loginPage.csp.join(nonce));
    res.setHeader("Content-Type", loginPage.contentType);
    // end(), not send(): no ETag to hash, since the body differs every time anyway. With its length known the page
    // goes out in one write without chunk framing (compression drops the length when it compresses).
    const page = Buffer.from(loginPage.parts.join(nonce));
    res.setHeader("Content-Length", page.length);
    res.status(200).end(page);
  } catch (error) {
    log.error({ err: error, path: req.path }, "login page render failed");
    next();
  }
});

app.use("/build", express.static(path.join(ROOT, "public/build"), { immutable: true, maxAge: "1y" }));
// Other static files by their top-level name only: a catch-all express.static would stat the disk for every page.
for (const entry of existsSync(path.join(ROOT, "public"))
  ? readdirSync(path.join(ROOT, "public"), { withFileTypes: true })
  : []) {
  const target = path.join(ROOT, "public", entry.name);
  if (entry.name === "build") continue;
  if (entry.isDirectory()) app.use(`/${entry.name}`, express.static(target, { maxAge: "1h" }));
  else app.get(`/${entry.name}`, (req, res) => res.sendFile(target, { maxAge: "1h" }));
}

const buildPath = path.join(ROOT, "build/index.js");
let build = await import(buildPath);
// One handler for the build (creating it prepares the route tree: never per request).
let handler = createRequestHandler({ build, mode: build.mode });

if (dev) {
  // `remix dev --manual` rebuilds, then we re-import the new build.
  const { broadcastDevReady } = await import("@remix-run/node");
  const chokidar = await import("chokidar").catch(() => null);
  broadcastDevReady(build);
  if (chokidar) {
    chokidar.watch(buildPath, { ignoreInitial: true }).on("all", async () => {
      build = await import(`${buildPath}?t=${Date.now()}`);
      handler = createRequestHandler({ build, mode: build.mode });
      broadcastDevReady(build);
    });
  }
}

app.all("*", (req, res, next) => handler(req, res, next));

// The exam autosave is the hot path of every exam (thousands of examinees saving every 20–40 s). It is answered
// before Express and Remix, with the same checks they make for it (Origin, body size, form encoding, security headers)
// and the build's own autosaveFromServer() (the route's module function, the same answers as the route). Through
// Express its middleware stack cost about half of the request. docs/decisions/0009 and 0034.
const AUTOSAVE_PATH = /^\/attempts\/(\d{1,12})\/answers$/;
const AUTOSAVE_MAX_BYTES = 16 * 1024;
const AUTOSAVE_MAX_FIELDS = 10;

const isSecure = (req) =>
  Boolean(req.socket.encrypted) ||
  (Boolean(app.get("trust proxy")) &&
    String(req.headers["x-forwarded-proto"] ?? "")
      .split(",")[0]
      .trim() === "https");

function answerJson(res, status, body) {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
    ...(isSecure(res.req) ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  });
  res.end(JSON.stringify(body));
}
function autosaveFast(req, res, attemptId) {
  if (!fromThisSite(req)) {
    res.writeHead(403, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
    return res.end(FOREIGN_SOURCE);
  }
  const unreadable = (status) => answerJson(res, status, { ok: false, message: "提交的内容无法读取" });
  if (Number(req.headers["content-length"] ?? 0) > AUTOSAVE_MAX_BYTES) {
    req.resume();
    return unreadable(413);
  }
  const chunks = [];
  let received = 0;
  req.on("data", (chunk) => {
    received += chunk.length;
    if (received > AUTOSAVE_MAX_BYTES) {
      unreadable(413);
      req.destroy();
    } else chunks.push(chunk);
  });
  req.on("end", async () => {
    if (res.headersSent) return;
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    const fields = {};
    let count = 0;
    for (const [key, value] of form) {
      if (++count > AUTOSAVE_MAX_FIELDS) return unreadable(413);
      // Repeated keys become arrays, as Express's form reader made them (the schema refuses them).
      fields[key] = key in fields ? [].concat(fields[key], value) : value;
    }
    try {
      const reply = await build.entry.module.autosaveFromServer(req.headers.cookie ?? null, attemptId, fields);
      answerJson(res, reply.status, reply.body);
    } catch (error) {
      log.error({ err: error, path: req.url }, "autosave failed");
      answerJson(res, 500, { ok: false, message: "服务器暂时无法保存，稍后会自动重试" });
    }
  });
  req.on("error", () => res.destroy());
}

createServer((req, res) => {
  if (req.method === "POST" && typeof build.entry.module.autosaveFromServer === "function") {
    const match = AUTOSAVE_PATH.exec(req.url ?? "");
    if (match && String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded"))
      return autosaveFast(req, res, match[1]);
  }
  app(req, res);
}).listen(PORT, HOST, () => {
  console.log(`Anxun is running at http://localhost:${PORT}`);
});
