// No zod here: the login page uses this in the browser.

/**
 * Only a same-site path: one leading slash, printable ASCII (anything else arrives percent-encoded), no backslash and
 * no `//` anywhere. Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\t/evil.example` or
 * `/\\evil.example` would otherwise leave the site; CR/LF would break the Location header.
 */
export function safeNext(next: string | undefined): string {
  if (!next || next.length > 512 || !/^\/[\x21-\x7e]*$/.test(next) || next.includes("//") || next.includes("\\"))
    return "/";
  try {
    return new URL(next, "http://anxun.invalid").origin === "http://anxun.invalid" ? next : "/";
  } catch {
    return "/";
  }
}
