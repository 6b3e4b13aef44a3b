import { env } from "../../lib/env.server";
import { newDeviceSecret } from "./callouts.server";

/**
 * A phone's device secret for call-out links: set on the first visit of any /callout/ link, sent with each tap. A member's
 * link is bound to the first phone that taps it (callout_member.device_hash), so a forwarded link is refused.
 */
const NAME = "anxun_rescue_device";

export function deviceSecretOf(request: Request): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === NAME) {
      const v = part.slice(i + 1).trim();
      return /^[0-9a-f]{32}$/.test(v) ? v : null;
    }
  }
  return null;
}

export function deviceCookie(secret = newDeviceSecret()) {
  const secure = env().NODE_ENV === "production" && !process.env.ANXUN_INSECURE_COOKIES ? "; Secure" : "";
  return `${NAME}=${secret}; Path=/callout; HttpOnly; SameSite=Lax; Max-Age=31536000${secure}`;
}
