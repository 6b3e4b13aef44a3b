import { env } from "./env.server";

/**
 * The origin links and QR codes that leave the site are built from (docs/security.md): PUBLIC_URL when configured;
 * otherwise the request's own, where a proxy's X-Forwarded-Host and X-Forwarded-Proto count only with TRUST_PROXY
 * (without it anyone could send those headers and have a quiz's join link point at their own site).
 */
export function publicOrigin(request: Request): string {
  const configured = env().PUBLIC_URL;
  if (configured) return new URL(configured).origin;
  const url = new URL(request.url);
  if (env().TRUST_PROXY) {
    const first = (name: string) => request.headers.get(name)?.split(",")[0].trim() || null;
    const host = first("x-forwarded-host");
    const proto = first("x-forwarded-proto");
    const scheme = proto === "https" || proto === "http" ? proto : url.protocol.replace(":", "");
    if (host && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) return `${scheme}://${host}`;
    return `${scheme}://${url.host}`;
  }
  return url.origin;
}

/** Whether the request reached us over HTTPS (directly, or by a trusted proxy's word). */
export function isHttps(request: Request): boolean {
  if (new URL(request.url).protocol === "https:") return true;
  return Boolean(env().TRUST_PROXY) && request.headers.get("x-forwarded-proto")?.split(",")[0].trim() === "https";
}
