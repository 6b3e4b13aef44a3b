import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/lib/http";
import { photoResponse } from "~/lib/photo.server";
import { idParam } from "~/lib/validation";
import { authorize, requireActor } from "~/modules/auth/session.server";
import { studyPhoto } from "~/modules/courses/study.server";
import { personResource } from "~/modules/org/people.server";

/** A study check-in photo, to those who may read the person's training archive (the same check as /people/:id/study). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const id = idParam.safeParse(params.id);
  const resource = id.success ? await personResource(id.data) : null;
  if (!resource) notFound("该人员不存在。");
  authorize(actor, "view", {
    type: "training",
    enterpriseId: resource.enterpriseId,
    regionPath: resource.regionPath,
    personId: resource.id,
  });
  const photoId = idParam.safeParse(params.photoId);
  const photo = photoId.success ? await studyPhoto(resource.id, photoId.data) : undefined;
  if (!photo) notFound("照片不存在。");
  return photoResponse(photo);
}
