import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicContest } from "~/modules/contests/access.server";
import { boards, myStanding } from "~/modules/contests/contests.server";
import { contestParticipantOf } from "~/modules/contests/participant.server";

/** The live boards (names masked), polled by the phones every few seconds; with "my rank" for a participant. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const contest = await publicContest(params.token);
  const p = await contestParticipantOf(request, contest.id);
  const [board, me] = await Promise.all([boards(contest.id, 10), p ? myStanding(contest.id, p.id) : null]);
  return Response.json({ ...board, me }, { headers: { "Cache-Control": "no-store" } });
}
