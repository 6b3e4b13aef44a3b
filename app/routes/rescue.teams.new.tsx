import { keepsRegionalRecords } from "~/modules/auth/policy";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { readForm, refused } from "~/lib/forms.server";
import { forbidden, notFound } from "~/lib/http";
import type { Actor } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { getRegion, regionOptions } from "~/modules/org/regions.server";
import { TeamInput } from "~/modules/rescue/schema";
import { saveTeam } from "~/modules/rescue/teams.server";
import { TeamForm } from "~/modules/rescue/ui/team-form";

export const meta: MetaFunction = () => [{ title: "登记救援队伍 · 安训" }];

function mayKeepTeams(actor: Actor) {
  if (!keepsRegionalRecords(actor)) forbidden("救援队伍由辖区监管部门登记。");
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  mayKeepTeams(actor);
  return { regions: (await regionOptions(actor.regionPath)).filter((r) => r.active) };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  mayKeepTeams(actor);
  const form = await readForm(request, TeamInput);
  if (!form.ok) return form.response;
  const region = await getRegion(form.data.regionId);
  if (!region) notFound("该区域不存在。");
  authorize(actor, "create", { type: "rescue_team", regionPath: region.path, enterpriseId: null });
  const saved = await saveTeam(actor, { id: region.id, path: region.path }, null, form.data, clientIp(request));
  if (!saved.ok) return refused(saved, form.values);
  throw redirect(`/rescue/teams/${saved.id}`);
}

export default function NewTeam() {
  const { regions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>登记救援队伍</h1>
      <section className="card">
        <TeamForm
          values={(result?.values ?? {}) as Record<string, string>}
          regions={regions}
          errors={result?.fieldErrors}
          formError={result?.formError}
          submitLabel="保存队伍"
        />
      </section>
    </>
  );
}
