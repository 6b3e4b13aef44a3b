import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireActor } from "~/modules/auth/session.server";
import { cockpitFor } from "~/modules/cockpit/access.server";
import { Cockpit } from "~/modules/cockpit/ui/cockpit";

export const meta: MetaFunction = () => [{ title: "驾驶舱 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return cockpitFor(actor, new URL(request.url));
}

export default function CockpitPage() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{d.region.name} · 安全培训驾驶舱</h1>
      <Cockpit {...d} basePath={`/cockpit?regionId=${d.region.id}`} />
    </>
  );
}
