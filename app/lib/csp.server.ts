/**
 * The Content-Security-Policy of every page (docs/security.md). Scripts: this site's files and Remix's inline
 * scripts, which carry the response's nonce; no other script runs, so injected markup cannot execute. 'unsafe-eval'
 * is there for course lessons: mdx-bundler's getMDXComponent runs the build-time-compiled lesson code with
 * `new Function` in the browser, and since pages navigate client-side the first page's policy must allow it on all
 * of them (removing it means rendering lessons without getMDXComponent). Styles allow inline `style` attributes
 * (React and ECharts set them; they cannot run code). No plugins, no framing, forms and base URLs stay on this site.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'unsafe-eval'`,
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
