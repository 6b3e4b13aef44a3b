import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, Link } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { invalid, readForm, readFormData, refused } from "~/lib/forms.server";
import { formatInstant } from "~/lib/calendar";
import { idParam, optionalText, z } from "~/lib/validation";
import { can } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { todayIso } from "~/lib/clock.server";
import { authorizedDrill } from "~/modules/drills/access.server";
import {
  cancelDrill,
  closeDrill,
  drillMembers,
  endDrill,
  injectsOf,
  project,
  releaseInject,
  startDrill,
} from "~/modules/drills/drills.server";
import { changeEvaluationForm, criteria, evaluationResults, hasSheets } from "~/modules/drills/evaluation.server";
import { EVALUATION_FORM_LABELS, EVALUATION_FORMS, formCodeOf } from "~/modules/drills/evaluation-forms";
import { filesOfDrill } from "~/modules/drills/files.server";
import { DrillFileList } from "~/modules/drills/ui/files";
import { FORM_LABELS, MODE_LABELS, planLabel } from "~/modules/drills/labels";
import { drillLog } from "~/modules/drills/log.server";
import { addFinding, rectificationsOfDrill } from "~/modules/drills/rectifications.server";
import { FindingInput } from "~/modules/drills/schema";
import {
  DrillStateBadge,
  drillWhen,
  EvaluationTable,
  RectificationList,
  ResponseTimes,
  Timeline,
} from "~/modules/drills/ui/parts";
import { useLiveDrill } from "~/modules/drills/ui/live";
import { POST_LABELS, ROLE_LABELS } from "~/modules/org/labels";
import { activePeopleOf } from "~/modules/org/people.server";

export const meta: MetaFunction = () => [{ title: "应急演练 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const { drill, role, visibility, resource } = await authorizedDrill(actor, params.id, "view");
  const view = project(drill, visibility);
  const may = {
    update: can(actor, "update", resource),
    log: can(actor, "log", resource),
    evaluate: can(actor, "evaluate", resource),
  };
  const base = { view, role, may, today: todayIso() };
  if (visibility !== "full") return { ...base, details: null };
  const started = drill.status !== "planned";
  const raisesFindings = (may.update || may.evaluate) && (drill.status === "running" || drill.status === "ended");
  const [files, members, injects, log, results, items, people, criteriaList] = await Promise.all([
    filesOfDrill(drill.id),
    drillMembers(drill.id),
    injectsOf(drill, role === "organizer" || role === "evaluator"),
    started ? drillLog(drill.id) : null,
    started ? evaluationResults(drill) : null,
    rectificationsOfDrill(drill.id),
    raisesFindings ? activePeopleOf(drill.enterprise_id) : [],
    raisesFindings ? criteria() : [],
  ]);
  return {
    ...base,
    details: {
      files,
      members,
      injects,
      log,
      results,
      items,
      people,
      criteria: criteriaList,
      raisesFindings,
      evaluationForm: formCodeOf(drill.evaluation_form),
      // The organizer may still change the form while no evaluator has saved a sheet on it.
      mayChangeForm:
        may.update && drill.status !== "closed" && drill.status !== "cancelled" && !(await hasSheets(drill.id)),
    },
  };
}

const Intent = z.object({
  intent: z.enum(["start", "end", "cancel", "close", "release", "finding", "form"], { error: "未知的操作" }),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const access = await authorizedDrill(actor, params.id, "view");
  const ip = clientIp(request);
  const raw = await readFormData(request.clone()).catch(() => null);
  const intent = Intent.safeParse({ intent: raw?.get("intent") });
  if (!intent.success) return invalid({}, "未知的操作，请刷新页面后重试。");
  const id = access.drill.id;
  switch (intent.data.intent) {
    case "finding": {
      if (!can(actor, "update", access.resource)) authorize(actor, "evaluate", access.resource);
      const form = await readForm(request, FindingInput);
      if (!form.ok) return form.response;
      const added = await addFinding(actor, id, form.data, ip);
      if (!added.ok) return refused(added, form.values);
      return { ok: true as const, message: "问题已记录，并生成整改项。" };
    }
    case "form": {
      authorize(actor, "update", access.resource);
      const form = await readForm(
        request,
        z.object({ intent: z.literal("form"), evaluationForm: z.enum(EVALUATION_FORMS, { error: "请选择评估表" }) }),
      );
      if (!form.ok) return form.response;
      const changed = await changeEvaluationForm(actor, id, form.data.evaluationForm, ip);
      if (!changed.ok) return refused(changed);
      return { ok: true as const, message: `评估表已改为：${EVALUATION_FORM_LABELS[form.data.evaluationForm]}。` };
    }
    case "release": {
      authorize(actor, "update", access.resource);
      const injectId = idParam.safeParse(raw?.get("injectId"));
      if (!injectId.success) return invalid({}, "情景注入无效。");
      await releaseInject(actor, id, injectId.data, ip);
      return { ok: true as const, message: "情景注入已发布。" };
    }
    case "close": {
      authorize(actor, "update", access.resource);
      const form = await readForm(request, z.object({ intent: z.literal("close"), summary: optionalText(4000) }));
      if (!form.ok) return form.response;
      const problems = await closeDrill(actor, id, form.data.summary, ip);
      if (problems.length) return invalid({}, `暂不能关闭演练：${problems.join("；")}。`);
      return { ok: true as const, message: "演练已关闭。" };
    }
    default: {
      authorize(actor, "update", access.resource);
      const step = { start: startDrill, end: endDrill, cancel: cancelDrill }[intent.data.intent];
      const moved = await step(actor, id, ip);
      const warning = moved.outsideWindow ? "注意：开始时间不在计划的时间窗内，已记入审计日志。" : "";
      return {
        ok: true as const,
        message: {
          start: `演练已开始，保密内容已向参演人员公开。${warning}`,
          end: "演练已结束。",
          cancel: "演练已取消。",
        }[intent.data.intent],
      };
    }
  }
}

/** The start is the moment of pressing: say so, and warn before starting outside the planned window. */
function startConfirm(windowStart: string, windowEnd: string) {
  const t = Date.now();
  const outside = t < Date.parse(windowStart) || t > Date.parse(windowEnd);
  return `${outside ? `注意：现在不在计划的时间窗（${formatInstant(windowStart)} 至 ${formatInstant(windowEnd)}）内。` : ""}开始时间将记为现在；开始后，保密的情景和注入将向参演人员公开。确定开始吗？`;
}

function IntentButton({
  intent,
  label,
  secondary,
  confirm: text,
}: {
  intent: string;
  label: string;
  secondary?: boolean;
  confirm?: string;
}) {
  return (
    <Form
      method="post"
      onSubmit={(e) => {
        if (text && !confirm(text)) e.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className={secondary ? "secondary" : undefined}>
        {label}
      </button>
    </Form>
  );
}

export default function DrillPage() {
  const { view: d, role, may, today, details } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && "fieldErrors" in result ? result : undefined;
  const done = result && "message" in result ? result.message : undefined;
  const full = "scenario" in d ? d : null;
  // Participants waiting for the start, and everyone during the drill, see the start and released injects without reloading.
  useLiveDrill(d.status === "planned" || d.status === "running");
  const schedule = "form" in d ? d : null;
  return (
    <>
      <h1>{d.title}</h1>
      <p className="small muted">
        {d.enterpriseName} · {MODE_LABELS[d.mode]}
        {schedule ? ` · ${FORM_LABELS[schedule.form]}` : ""} · <DrillStateBadge status={d.status} />
        {role !== "none"
          ? ` · 我是${{ organizer: "组织者", controller: "导调人员", evaluator: "评估人员", participant: "参演人员" }[role]}`
          : ""}
      </p>
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      <FormError message={failed?.formError} />
      <section className="card">
        <p data-testid="drill-when">
          {d.visibility === "window"
            ? `将在 ${formatInstant(d.windowStart)} 至 ${formatInstant(d.windowEnd)} 之间择机开展，具体时间和内容不预先通知。`
            : drillWhen(d)}
        </p>
        {schedule ? (
          <p>
            应急预案：{planLabel(schedule.planType, schedule.planTitle)}
            {schedule.teams ? `；参演队伍：${schedule.teams}` : ""}
          </p>
        ) : null}
        {d.visibility === "schedule" ? <p className="muted">无脚本演练：演练开始前不提供情景和脚本。</p> : null}
        {may.log && d.status !== "planned" && d.status !== "closed" && d.status !== "cancelled" ? (
          <div className="actions">
            <Link className="button" to={`/drills/${d.id}/log`}>
              记录演练过程
            </Link>
          </div>
        ) : null}
        {may.evaluate && d.status !== "planned" ? (
          <div className="actions">
            <Link className="button secondary" to={`/drills/${d.id}/evaluate`}>
              填写评估表
            </Link>
          </div>
        ) : null}
        {d.status === "ended" || d.status === "closed" ? (
          <div className="actions">
            <Link className="button secondary" to={`/drills/${d.id}/report`}>
              评估报告（可打印）
            </Link>{" "}
            <a className="button secondary" href={`/documents/drill/${d.id}`} download>
              评估报告（PDF）
            </a>
          </div>
        ) : null}
        {may.update ? (
          <div className="actions">
            {d.status === "planned" ? (
              <IntentButton intent="start" label="开始演练" confirm={startConfirm(d.windowStart, d.windowEnd)} />
            ) : null}
            {d.status === "planned" ? (
              <Link className="button secondary" to={`/drills/${d.id}/edit`}>
                修改计划
              </Link>
            ) : null}
            {d.status === "planned" ? (
              <IntentButton intent="cancel" label="取消演练" secondary confirm="确定取消该演练吗？" />
            ) : null}
            {d.status === "running" ? (
              <IntentButton intent="end" label="结束演练" confirm="确定演练已结束（解除警报）吗？" />
            ) : null}
          </div>
        ) : null}
      </section>
      {full && details ? (
        <>
          <section className={`card ${d.status === "planned" && d.mode !== "scripted" ? "sealed" : ""}`}>
            {d.status === "planned" && d.mode !== "scripted" ? (
              <p className="small">
                <strong>保密内容：开始前仅组织者和评估人员可见</strong>
              </p>
            ) : null}
            {full.plannedStart && !full.startedAt ? (
              <p>计划开始时间（保密）：{formatInstant(full.plannedStart)}</p>
            ) : null}
            {full.plannedStart && full.startedAt ? (
              <p className="small muted">
                计划开始时间：{formatInstant(full.plannedStart)}（实际以组织者按下“开始演练”的时间为准：
                {formatInstant(full.startedAt)}）
              </p>
            ) : null}
            <h2>演练目标</h2>
            <p style={{ whiteSpace: "pre-line" }}>{full.objectives}</p>
            <h2>演练情景</h2>
            <p style={{ whiteSpace: "pre-line" }} data-testid="scenario">
              {full.scenario}
            </p>
            <h2>情景注入</h2>
            {details.injects.length === 0 ? (
              <p className="muted">无。</p>
            ) : (
              <ol>
                {details.injects.map((i) => (
                  <li key={i.id}>
                    <strong>{i.title}</strong>：{i.body}
                    <span className="small muted">
                      {i.releasedAt
                        ? ` · 已于 ${formatInstant(i.releasedAt, true).slice(11)} 发布`
                        : i.offsetMinutes !== null
                          ? ` · 开始后第 ${i.offsetMinutes} 分钟发布`
                          : " · 手动发布"}
                    </span>
                    {may.update && d.status === "running" && !i.releasedAt ? (
                      <Form method="post" style={{ display: "inline" }}>
                        <input type="hidden" name="intent" value="release" />
                        <input type="hidden" name="injectId" value={i.id} />
                        <button type="submit" className="secondary">
                          立即发布
                        </button>
                      </Form>
                    ) : null}
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section className={`card ${d.status === "planned" && d.mode !== "scripted" ? "sealed" : ""}`}>
            <h2>演练方案与任务卡</h2>
            {d.status === "planned" && d.mode !== "scripted" ? (
              <p className="small">
                <strong>保密文件：开始前仅组织者和评估人员可见</strong>
              </p>
            ) : null}
            <DrillFileList drillId={d.id} files={details.files} />
            {may.update && d.status !== "closed" && d.status !== "cancelled" ? (
              <div className="actions">
                <Link className="button secondary" to={`/drills/${d.id}/files`}>
                  上传方案/任务卡
                </Link>
              </div>
            ) : null}
          </section>
          <section className="card">
            <h2>人员</h2>
            <p>
              评估人员：
              {details.members.evaluators.map((e) => `${e.display_name}（${ROLE_LABELS[e.role]}）`).join("、") || "—"}
            </p>
            <p>参演人员：{details.members.participants.map((p) => p.name).join("、") || "—"}</p>
          </section>
          {details.log ? (
            <section className="card">
              <h2>关键响应时间</h2>
              <ResponseTimes times={details.log.times} />
              <h2>演练记录</h2>
              <Timeline events={details.log.events} drillId={d.id} pictures />
            </section>
          ) : null}
          <section className="card">
            <h2>评估</h2>
            <p data-testid="drill-evaluation-form">评估表：{EVALUATION_FORM_LABELS[details.evaluationForm]}</p>
            {details.mayChangeForm ? (
              <Form method="post" className="inline-form evaluation-form-choice">
                <input type="hidden" name="intent" value="form" />
                <label htmlFor="f-evaluationForm">更换评估表</label>{" "}
                <select id="f-evaluationForm" name="evaluationForm" defaultValue={details.evaluationForm}>
                  {EVALUATION_FORMS.map((k) => (
                    <option key={k} value={k}>
                      {EVALUATION_FORM_LABELS[k]}
                    </option>
                  ))}
                </select>{" "}
                <button type="submit" className="secondary">
                  保存
                </button>
              </Form>
            ) : null}
            {details.results ? <EvaluationTable results={details.results} /> : null}
          </section>
          <section className="card">
            <h2>发现的问题与整改</h2>
            <RectificationList items={details.items} today={today} empty="尚未记录问题。" />
            {details.raisesFindings ? (
              <Form method="post" className="stack" noValidate>
                <input type="hidden" name="intent" value="finding" />
                <Field name="finding" label="发现的问题" errors={failed?.fieldErrors} required>
                  {(a) => <textarea {...a} rows={2} />}
                </Field>
                <Field name="criterionId" label="对应评估项目" errors={failed?.fieldErrors}>
                  {(a) => (
                    <select {...a} defaultValue="">
                      <option value="">（不指定）</option>
                      {details.criteria.map((c) => (
                        <option key={c.id} value={c.id}>
                          {c.section}：{c.text}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field name="ownerPersonId" label="整改责任人" errors={failed?.fieldErrors} required>
                  {(a) => (
                    <select {...a} defaultValue="">
                      <option value="">请选择</option>
                      {details.people.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}（{POST_LABELS[p.post]}）
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field name="dueOn" label="整改期限" type="date" errors={failed?.fieldErrors} required />
                <button type="submit">记录问题并生成整改项</button>
              </Form>
            ) : null}
          </section>
          {may.update && d.status === "ended" ? (
            <section className="card">
              <h2>关闭演练</h2>
              <p className="small muted">所有评估人员提交评估表、所有整改项验收关闭或被接受后，才能关闭演练。</p>
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="close" />
                <Field name="summary" label="演练总结" errors={failed?.fieldErrors}>
                  {(a) => <textarea {...a} rows={4} />}
                </Field>
                <button type="submit">关闭演练</button>
              </Form>
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}
