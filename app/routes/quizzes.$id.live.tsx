import type { LoaderFunctionArgs } from "@remix-run/node";
import { now } from "~/lib/clock.server";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedQuiz } from "~/modules/inspections/access.server";
import { quizBoard, quizOpen } from "~/modules/inspections/quiz.server";

/** The board's live data, polled every few seconds. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const quiz = await authorizedQuiz(actor, params.id, "inspect");
  return Response.json({
    open: quizOpen(quiz),
    closesAt: quiz.closed_at && quiz.closed_at > now() ? quiz.closed_at.toISOString() : null,
    participants: await quizBoard(quiz.id),
  });
}
