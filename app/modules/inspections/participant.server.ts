import { env } from "../../lib/env.server";
import { redirect } from "@remix-run/node";
import { notFound } from "../../lib/http";
import { participantBySecret } from "./quiz.server";
import { holderOf, retestLinkByToken } from "./retest-links.server";

/**
 * People answering an on-site quiz need no account: joining gives their browser a secret for this quiz
 * (hashed in quiz_participant). This is the authorization for the quiz's answering pages.
 */
const cookieName = (quizId: number) => `anxun_quiz_${quizId}`;

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export function participantCookie(quizId: number, token: string, participantId: number, secret: string) {
  const secure = env().NODE_ENV === "production" && !process.env.ANXUN_INSECURE_COOKIES ? "; Secure" : "";
  return `${cookieName(quizId)}=${participantId}.${secret}; Path=/q/${token}; HttpOnly; SameSite=Lax; Max-Age=86400${secure}`;
}

export async function participantOf(request: Request, quizId: number) {
  return participantBySecret(quizId, readCookie(request, cookieName(quizId)));
}

/** A one-time re-test link's holder: `<linkId>.<secret>` in a cookie scoped to the link's pages (/r/<token>). */
const retestCookieName = (linkId: number) => `anxun_retest_${linkId}`;

export function retestCookie(linkId: number, token: string, secret: string) {
  const secure = env().NODE_ENV === "production" && !process.env.ANXUN_INSECURE_COOKIES ? "; Secure" : "";
  return `${retestCookieName(linkId)}=${linkId}.${secret}; Path=/r/${token}; HttpOnly; SameSite=Lax; Max-Age=86400${secure}`;
}

export function retestCookieOf(request: Request, linkId: number) {
  return readCookie(request, retestCookieName(linkId));
}

/** The claimed link and its attempt for this browser, or a redirect to the link's identification page. */
export async function retestHolder(request: Request, token: string | undefined) {
  const link = await retestLinkByToken(token ?? "");
  if (!link) notFound("复测链接无效。");
  if (!holderOf(link, retestCookieOf(request, link.id)) || !link.attempt_id) throw redirect(`/r/${token}`);
  return { link, attemptId: link.attempt_id };
}
