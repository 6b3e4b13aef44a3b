import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/modules/auth/session.server";
import { certificationHome } from "~/modules/certification/access.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return certificationHome(await requireActor(request));
}
