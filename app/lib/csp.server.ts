/**
 * The Content-Security-Policy of every page (docs/security.md). Scripts: this site's files and Remix's inline
 * scripts, which carry the response's nonce; nothing else runs, so injected markup cannot execute. Styles allow
 * inline `style` attributes (React and ECharts set them; they cannot run code). No plugins, no framing, forms and
 * base URLs stay on this site.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** One year, subdomains included: sent only on responses that reached us over HTTPS. */
export const HSTS = "max-age=31536000; includeSubDomains";
