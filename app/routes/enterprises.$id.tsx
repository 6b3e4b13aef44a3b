import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams, Link } from "@remix-run/react";
import { EnterpriseForm } from "~/components/enterprise-form";
import { FormError } from "~/components/form";
import { invalid, readForm, readFormData, refused } from "~/lib/forms.server";
import { notFound } from "~/lib/http";
import { idParam, z } from "~/lib/validation";
import { can } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import {
  getEnterprise,
  headcountByPost,
  saveEnterprise,
  setEnterpriseActive,
  setStudyPhotoCheckin,
} from "~/modules/org/enterprises.server";
import { POST_LABELS, POSTS, RISK_LABELS } from "~/modules/org/labels";
import { enterpriseResource } from "~/modules/org/people.server";
import { regionOptions } from "~/modules/org/regions.server";
import { EnterpriseInput } from "~/modules/org/schema";

export const meta: MetaFunction = () => [{ title: "企业档案 · 安训" }];

async function load(request: Request, rawId: string | undefined) {
  const actor = await requireActor(request);
  const id = idParam.safeParse(rawId);
  const resource = id.success ? await enterpriseResource(id.data) : null;
  if (!resource) notFound("该企业不存在。");
  authorize(actor, "view", resource);
  return { actor, resource };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, resource } = await load(request, params.id);
  const canEdit = can(actor, "create", { type: "reference_data" });
  const [enterprise, headcount, regions] = await Promise.all([
    getEnterprise(resource.id),
    headcountByPost(resource.id),
    canEdit ? regionOptions() : Promise.resolve([]),
  ]);
  // The enterprise's own officer (and the admin) decide whether study check-ins need a photo.
  const canSetCheckin = can(actor, "update", {
    type: "training",
    enterpriseId: resource.id,
    regionPath: resource.regionPath,
  });
  return { enterprise: enterprise!, headcount, regions, canEdit, canSetCheckin };
}

const Intent = z.object({
  intent: z.enum(["save", "deactivate", "reactivate", "photoCheckin"], { error: "未知的操作" }),
});
const PhotoCheckin = z.object({ on: z.enum(["1", "0"], { error: "请选择开启或关闭" }) });

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, resource } = await load(request, params.id);
  const fields = Object.fromEntries((await readFormData(request.clone())).entries());
  const intent = Intent.safeParse(fields);
  if (!intent.success) return invalid({}, "未知的操作");
  if (intent.data.intent === "photoCheckin") {
    authorize(actor, "update", { type: "training", enterpriseId: resource.id, regionPath: resource.regionPath });
    const choice = PhotoCheckin.safeParse(fields);
    if (!choice.success) return invalid({}, choice.error.issues[0].message);
    await setStudyPhotoCheckin(actor, resource.id, choice.data.on === "1", clientIp(request));
    throw redirect(`/enterprises/${resource.id}?saved=1`);
  }
  authorize(actor, "update", { type: "reference_data" });
  if (intent.data.intent !== "save") {
    await setEnterpriseActive(actor, resource.id, intent.data.intent === "reactivate", clientIp(request));
    throw redirect(`/enterprises/${resource.id}`);
  }
  const form = await readForm(request, EnterpriseInput);
  if (!form.ok) return form.response;
  const saved = await saveEnterprise(actor, resource.id, form.data, clientIp(request));
  if (!saved.ok) return refused(saved, form.values);
  throw redirect(`/enterprises/${resource.id}?saved=1`);
}

export default function EnterprisePage() {
  const { enterprise: e, headcount, regions, canEdit, canSetCheckin } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  return (
    <>
      <h1>{e.name}</h1>
      {search.get("saved") ? (
        <div className="notice" role="status">
          已保存。
        </div>
      ) : null}
      <section className="card">
        <p>统一社会信用代码：{e.uscc}</p>
        <p>
          行业：{e.industry_name}
          {e.high_risk ? <span className="badge warn"> 高危行业</span> : null}　区域：{e.region_name}
        </p>
        <p>
          风险等级：<span className={`risk-${e.risk_level}`}>{RISK_LABELS[e.risk_level]}</span>
          {e.active ? null : <span className="badge"> 已停用</span>}
        </p>
        <h2>人员</h2>
        <div className="grid">
          {POSTS.map((p) => (
            <div key={p}>
              <div className="stat">{headcount[p] ?? 0}</div>
              <div className="stat-label">{POST_LABELS[p]}</div>
            </div>
          ))}
        </div>
        <p>
          <Link to={`/people?enterpriseId=${e.id}`}>查看人员名单</Link> ·{" "}
          <Link to={`/drills?enterpriseId=${e.id}`}>应急预案与演练</Link>
        </p>
      </section>
      {canSetCheckin && !canEdit ? (
        <section className="card" aria-labelledby="checkin">
          <h2 id="checkin">在线学习签到拍照</h2>
          <p>
            当前：<strong data-testid="photo-checkin">{e.study_photo_checkin ? "已开启" : "未开启"}</strong>
            。开启后，本企业人员在线学习时每次“继续学习”签到都须用手机拍一张照片，照片保存在个人学习档案中，仅本企业培训管理员和辖区监管部门可查看。
          </p>
          {result?.formError ? <FormError message={result.formError} /> : null}
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value="photoCheckin" />
            <input type="hidden" name="on" value={e.study_photo_checkin ? "0" : "1"} />
            <button type="submit" className={e.study_photo_checkin ? "secondary" : undefined}>
              {e.study_photo_checkin ? "关闭签到拍照" : "开启签到拍照"}
            </button>
          </Form>
        </section>
      ) : null}
      {canEdit ? (
        <section className="card">
          <h2>编辑</h2>
          <EnterpriseForm
            regions={regions}
            errors={result?.fieldErrors}
            formError={result?.formError}
            submitLabel="保存修改"
            values={
              result?.values ?? {
                name: e.name,
                uscc: e.uscc,
                regionId: e.region_id,
                industryCode: e.industry_code,
                riskLevel: e.risk_level,
                address: e.address,
                contactPhone: e.contact_phone,
                studyPhotoCheckin: e.study_photo_checkin ? "1" : "",
              }
            }
          />
          <Form method="post" className="actions">
            {e.active ? (
              <button type="submit" name="intent" value="deactivate" className="danger">
                停用企业
              </button>
            ) : (
              <button type="submit" name="intent" value="reactivate" className="secondary">
                恢复企业
              </button>
            )}
          </Form>
        </section>
      ) : null}
    </>
  );
}
