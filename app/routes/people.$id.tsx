import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { PersonForm } from "~/components/person-form";
import { invalid, readForm, readFormData, refused } from "~/lib/forms.server";
import { notFound } from "~/lib/http";
import { idParam, z } from "~/lib/validation";
import { can } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { POST_LABELS } from "~/modules/org/labels";
import { getPerson, personResource, setPersonActive, updatePerson } from "~/modules/org/people.server";
import { PersonUpdateInput } from "~/modules/org/schema";
import {
  certificateResource,
  certificatesOf,
  revokeCertificate,
  saveCertificate,
} from "~/modules/certification/certificates.server";
import { CertificateInput } from "~/modules/certification/schema";
import { KIND_LABELS, STATUS_LABELS } from "~/modules/certification/rules";
import { CertificateForm } from "~/modules/certification/ui/certificate-form";
import { hoursStatus } from "~/modules/courses/training.server";
import { resultsOf } from "~/modules/exams/exams.server";
import { dayOf } from "~/lib/calendar";

export const meta: MetaFunction = () => [{ title: "人员档案 · 安训" }];

async function load(request: Request, rawId: string | undefined, action: "view" | "update") {
  const actor = await requireActor(request);
  const id = idParam.safeParse(rawId);
  const resource = id.success ? await personResource(id.data) : null;
  if (!resource) notFound("该人员不存在。");
  authorize(actor, action, resource);
  return { actor, resource };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, resource } = await load(request, params.id, "view");
  const [person, certificates, hours, results] = await Promise.all([
    getPerson(resource.id),
    certificatesOf(resource.id),
    hoursStatus(resource.id),
    resultsOf(resource.id),
  ]);
  return { person: person!, certificates, hours, results, canEdit: can(actor, "update", resource) };
}

const Intent = z.object({
  intent: z.enum(["save", "deactivate", "reactivate", "certificate", "revoke"], { error: "未知的操作" }),
  certificateId: z.coerce.number().int().positive().optional(),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, resource } = await load(request, params.id, "update");
  const intent = Intent.safeParse(Object.fromEntries((await readFormData(request.clone())).entries()));
  if (!intent.success) return invalid({}, "未知的操作");
  if (intent.data.intent === "certificate") {
    const form = await readForm(request, CertificateInput);
    if (!form.ok) return form.response;
    const saved = await saveCertificate(
      actor,
      { id: resource.id, enterpriseId: resource.enterpriseId, regionPath: resource.regionPath },
      form.data,
      clientIp(request),
    );
    if (!saved.ok) return refused(saved, form.values);
    throw redirect(`/people/${resource.id}?saved=1`);
  }
  if (intent.data.intent === "revoke") {
    const cert = intent.data.certificateId ? await certificateResource(intent.data.certificateId) : undefined;
    if (!cert || cert.person_id !== resource.id) return invalid({}, "该证书不存在");
    await revokeCertificate(actor, cert.id, clientIp(request));
    throw redirect(`/people/${resource.id}`);
  }
  if (intent.data.intent !== "save") {
    authorize(actor, "deactivate", resource);
    await setPersonActive(actor, resource.id, intent.data.intent === "reactivate", clientIp(request));
    throw redirect(`/people/${resource.id}`);
  }
  const form = await readForm(request, PersonUpdateInput);
  if (!form.ok) return form.response;
  const saved = await updatePerson(actor, resource.id, form.data, clientIp(request));
  if (!saved.ok) return refused(saved, form.values);
  throw redirect(`/people/${resource.id}?saved=1`);
}

export default function PersonPage() {
  const { person, canEdit, certificates, hours, results } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  return (
    <>
      <h1>{person.name}</h1>
      {search.get("saved") ? (
        <div className="notice" role="status">
          已保存。
        </div>
      ) : null}
      <section className="card">
        <dl>
          <dt className="muted small">岗位</dt>
          <dd>{POST_LABELS[person.post]}</dd>
          <dt className="muted small">身份证号</dt>
          <dd>{person.id_number_masked}</dd>
          <dt className="muted small">单位</dt>
          <dd>{person.enterprise_name}</dd>
          <dt className="muted small">手机号</dt>
          <dd>{person.phone ?? "—"}</dd>
          <dt className="muted small">入职日期</dt>
          <dd>{person.hire_date ?? "—"}</dd>
          <dt className="muted small">状态</dt>
          <dd>{person.active ? "在职" : "已停用"}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="certs">
        <h2 id="certs">证书</h2>
        {certificates.length === 0 ? (
          <p className="muted">没有登记证书。</p>
        ) : (
          <table className="responsive">
            <thead>
              <tr>
                <th>证书</th>
                <th>编号</th>
                <th>有效期</th>
                <th>应复审</th>
                <th>状态</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {certificates.map((c) => (
                <tr key={c.id}>
                  <td data-label="证书" className="small">
                    {KIND_LABELS[c.kind]}
                    {c.item ? ` · ${c.category} · ${c.item}` : ""}
                  </td>
                  <td data-label="编号" className="small">
                    {c.number}
                  </td>
                  <td data-label="有效期">
                    {c.valid_from} 至 {c.expires_on}
                  </td>
                  <td data-label="应复审">{c.review_due_on ?? "—"}</td>
                  <td data-label="状态">
                    <span
                      className={`badge ${c.status === "valid" ? "ok" : c.status === "review_due_soon" || c.status === "expiring_soon" ? "warn" : "bad"}`}
                    >
                      {STATUS_LABELS[c.status]}
                    </span>
                  </td>
                  <td>
                    {canEdit && c.status !== "revoked" ? (
                      <Form method="post">
                        <input type="hidden" name="certificateId" value={c.id} />
                        <button type="submit" name="intent" value="revoke" className="secondary">
                          撤销
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canEdit ? (
          <details>
            <summary>登记或更新证书</summary>
            <CertificateForm errors={result?.fieldErrors} formError={result?.formError} />
          </details>
        ) : null}
      </section>
      <section className="card" aria-labelledby="hours">
        <h2 id="hours">学时</h2>
        <p>
          今年 {hours.done} 学时{hours.required ? `，要求不少于 ${hours.required.hours} 学时` : ""}
        </p>
        <p className="small">
          <Link to={`/people/${person.id}/study`}>学习档案（一人一档）：每次学习的开始、暂停、签到和有效时长</Link>
        </p>
        <p className="small documents-links">
          <a href={`/documents/archive/${person.id}`} download>
            下载培训档案（PDF）
          </a>
          　
          <a href={`/documents/hours/${person.id}`} download>
            下载本年度学时证明（PDF）
          </a>
        </p>
      </section>
      <section className="card" aria-labelledby="results">
        <h2 id="results">考试与现场测验</h2>
        {results.length === 0 ? (
          <p className="muted">暂无。</p>
        ) : (
          <ul>
            {results.map((r) => (
              <li key={r.id}>
                {dayOf(r.submitted_at!)} · {r.title}：{Number(r.score)} 分{" "}
                {r.passed ? <span className="badge ok">合格</span> : <span className="badge bad">不合格</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      {canEdit ? (
        <section className="card">
          <h2>编辑</h2>
          <PersonForm
            errors={result?.fieldErrors}
            formError={result?.formError}
            editing={{ idNumberMasked: person.id_number_masked }}
            values={
              result?.values ?? {
                name: person.name,
                phone: person.phone ?? "",
                post: person.post,
                hireDate: person.hire_date ?? "",
              }
            }
            submitLabel="保存修改"
          />
          <Form method="post" className="actions">
            {person.active ? (
              <button type="submit" name="intent" value="deactivate" className="danger">
                停用（离职）
              </button>
            ) : (
              <button type="submit" name="intent" value="reactivate" className="secondary">
                恢复在职
              </button>
            )}
          </Form>
        </section>
      ) : null}
    </>
  );
}
