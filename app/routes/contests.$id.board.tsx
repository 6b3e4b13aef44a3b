import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedContest } from "~/modules/contests/access.server";
import { boards } from "~/modules/contests/contests.server";

/** The organizer's live boards (full names, speed flags), polled every few seconds. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const contest = await authorizedContest(await requireActor(request), params.id, "view");
  return Response.json(await boards(contest.id, 20, true), { headers: { "Cache-Control": "no-store" } });
}
