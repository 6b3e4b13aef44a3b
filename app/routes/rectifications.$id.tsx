import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, Link } from "@remix-run/react";
import { useState } from "react";
import { Field, FormError } from "~/components/form";
import { PhotoInput } from "~/components/photo-input";
import { fieldsOf, invalid, readFormData } from "~/lib/forms.server";
import { formatInstant } from "~/lib/calendar";
import { isUpload, readUpload } from "~/lib/upload.server";
import { parseInput, z } from "~/lib/validation";
import { can } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { todayIso } from "~/lib/clock.server";
import { authorizedRectification } from "~/modules/drills/access.server";
import { RECTIFICATION_LABELS } from "~/modules/drills/labels";
import { isOverdue } from "~/modules/drills/rules";
import { photoOf } from "~/lib/photo.server";
import { evidencePhotos, submitEvidence, verifyRectification } from "~/modules/drills/rectifications.server";
import { EvidenceInput, VerifyInput } from "~/modules/drills/schema";

export const meta: MetaFunction = () => [{ title: "整改项 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const { item, resource } = await authorizedRectification(actor, params.id, "view");
  return {
    item: {
      id: item.id,
      drillId: item.drill_id,
      finding: item.finding,
      criterion: item.criterion_text,
      owner: item.owner_name,
      dueOn: item.due_on,
      status: item.status,
      evidence: item.evidence,
      submittedAt: item.submitted_at?.toISOString() ?? null,
      submittedBy: item.submitted_by_name,
      verifiedBy: item.verified_by_name,
      verifiedAt: item.verified_at?.toISOString() ?? null,
      note: item.verification_note,
    },
    photos: await evidencePhotos(item.id),
    may: {
      submit: can(actor, "update", resource) && item.status === "open",
      verify: can(actor, "verify", resource) && (item.status === "open" || item.status === "submitted"),
    },
    today: todayIso(),
  };
}

const Intent = z.object({ intent: z.enum(["evidence", "verify"], { error: "未知的操作" }) });

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const { item, resource } = await authorizedRectification(actor, params.id, "view");
  let form: FormData;
  if (isUpload(request)) {
    const upload = await readUpload(request);
    if (!upload.ok) return invalid({ photo: upload.message }, upload.message);
    form = upload.form;
  } else {
    try {
      form = await readFormData(request);
    } catch {
      return invalid({}, "提交的内容无法读取，请刷新页面后重试。");
    }
  }
  const values = fieldsOf(form);
  const intent = Intent.safeParse(values);
  if (!intent.success) return invalid({}, "未知的操作，请刷新页面后重试。");
  const ip = clientIp(request);
  if (intent.data.intent === "evidence") {
    authorize(actor, "update", resource);
    const parsed = parseInput(EvidenceInput, values);
    if (!parsed.ok) return invalid(parsed.fieldErrors, "请更正标出的内容后再提交。", values);
    const photo = await photoOf(form.get("photo"));
    if (!photo.ok) return invalid({ photo: photo.message }, photo.message, values);
    await submitEvidence(actor, item.id, parsed.data.evidence, photo.photo, ip);
    return { ok: true as const, message: "整改材料已提交，等待演练组织者验收。" };
  }
  authorize(actor, "verify", resource);
  const parsed = parseInput(VerifyInput, values);
  if (!parsed.ok) return invalid(parsed.fieldErrors, "请更正标出的内容后再提交。", values);
  await verifyRectification(actor, item.id, parsed.data.decision, parsed.data.note, ip);
  return {
    ok: true as const,
    message: { close: "已验收关闭。", reopen: "已退回重新整改。", accept: "已接受，不再整改。" }[parsed.data.decision],
  };
}

export default function RectificationPage() {
  const [shrinking, setShrinking] = useState(false);
  const { item: r, photos, may, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && "fieldErrors" in result ? result : undefined;
  const overdue = isOverdue(r, today);
  return (
    <>
      <h1>整改项</h1>
      <p className="small">
        <Link to={`/drills/${r.drillId}`}>返回演练</Link>
      </p>
      {result && "message" in result ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      <FormError message={failed?.formError} />
      <section className="card">
        <p>
          <strong>{r.finding}</strong>
        </p>
        {r.criterion ? <p className="small muted">评估项目：{r.criterion}</p> : null}
        <p>
          责任人：{r.owner}；整改期限：{r.dueOn}
          {overdue ? <span className="badge bad">已逾期</span> : null}；状态：
          <span data-testid="rectification-status">{RECTIFICATION_LABELS[r.status]}</span>
        </p>
        {r.evidence ? (
          <p>
            整改情况：{r.evidence}
            <span className="small muted">
              （{r.submittedBy ?? "—"} 于 {formatInstant(r.submittedAt)} 提交）
            </span>
          </p>
        ) : null}
        {photos.map((p) => (
          <a key={p} href={`/rectifications/${r.id}/photos/${p}`}>
            整改照片{" "}
          </a>
        ))}
        {r.note || r.verifiedAt ? (
          <p>
            验收意见：{r.note ?? "—"}
            <span className="small muted">
              （{r.verifiedBy ?? "—"} 于 {formatInstant(r.verifiedAt)}）
            </span>
          </p>
        ) : null}
      </section>
      {may.submit ? (
        <section className="card">
          <h2>提交整改材料</h2>
          <Form method="post" encType="multipart/form-data" className="stack" noValidate>
            <input type="hidden" name="intent" value="evidence" />
            <Field name="evidence" label="整改情况说明" errors={failed?.fieldErrors} required>
              {(a) => <textarea {...a} rows={3} />}
            </Field>
            <Field name="photo" label="整改照片（可选）" errors={failed?.fieldErrors}>
              {(a) => <PhotoInput {...a} onBusyChange={setShrinking} />}
            </Field>
            <button type="submit" disabled={shrinking}>
              提交
            </button>
          </Form>
        </section>
      ) : null}
      {may.verify ? (
        <section className="card">
          <h2>验收</h2>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="verify" />
            <fieldset>
              <legend>结论</legend>
              {r.status === "submitted" ? (
                <label className="choice">
                  <input type="radio" name="decision" value="close" defaultChecked /> 验收合格，关闭
                </label>
              ) : null}
              {r.status === "submitted" ? (
                <label className="choice">
                  <input type="radio" name="decision" value="reopen" /> 不合格，退回重新整改
                </label>
              ) : null}
              <label className="choice">
                <input type="radio" name="decision" value="accept" defaultChecked={r.status === "open"} />{" "}
                接受现状，不再整改（须写明理由）
              </label>
            </fieldset>
            <Field name="note" label="验收意见" errors={failed?.fieldErrors}>
              {(a) => <textarea {...a} rows={2} />}
            </Field>
            <button type="submit">提交验收结论</button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
