import { env } from "../../lib/env.server";
import { participantBySecret } from "./contests.server";

/**
 * Contest participants without accounts are authorized by a secret cookie per contest (as decision 0007). Its path is
 * /c, not /c/<token>: Remix reads the home page's data from /c/<token>.data, which a /c/<token> cookie would not reach.
 */
const cookieName = (contestId: number) => `anxun_contest_${contestId}`;

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export function contestCookie(contestId: number, participantId: number, secret: string) {
  const secure = env().NODE_ENV === "production" && !process.env.ANXUN_INSECURE_COOKIES ? "; Secure" : "";
  return `${cookieName(contestId)}=${participantId}.${secret}; Path=/c; HttpOnly; SameSite=Lax; Max-Age=${60 * 60 * 24 * 60}${secure}`;
}

export async function contestParticipantOf(request: Request, contestId: number) {
  return participantBySecret(contestId, readCookie(request, cookieName(contestId)));
}
