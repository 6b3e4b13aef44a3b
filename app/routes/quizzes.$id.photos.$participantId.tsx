import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/lib/http";
import { photoResponse } from "~/lib/photo.server";
import { idParam } from "~/lib/validation";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedQuiz } from "~/modules/inspections/access.server";
import { joinPhoto } from "~/modules/inspections/quiz.server";

/** A photo taken at join, to those who may read the inspection record (never public, never to the participant's link). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const quiz = await authorizedQuiz(actor, params.id, "view");
  const id = idParam.safeParse(params.participantId);
  const photo = id.success ? await joinPhoto(quiz.id, id.data) : undefined;
  if (!photo) notFound("照片不存在。");
  return photoResponse(photo);
}
