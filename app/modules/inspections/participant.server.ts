import { env } from "../../lib/env.server";
import { participantBySecret } from "./quiz.server";

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
