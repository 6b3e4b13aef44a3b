import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { addDays, formatInstant } from "~/lib/calendar";
import { now, todayIso } from "~/lib/clock.server";
import { invalid, readForm, refused } from "~/lib/forms.server";
import { forbidden } from "~/lib/http";
import { can, listScope, regionRootOf } from "~/modules/auth/policy";
import { authorize, clientIp, requireActor } from "~/modules/auth/session.server";
import { createContest, listContests } from "~/modules/contests/contests.server";
import { ContestInput } from "~/modules/contests/schema";
import { getRegion, regionOptions } from "~/modules/org/regions.server";

export const meta: MetaFunction = () => [{ title: "知识竞赛 · 安训" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const root = listScope(actor).kind === "all" ? "/" : regionRootOf(actor);
  if (!root || !can(actor, "view", { type: "contest", regionPath: root })) forbidden("知识竞赛由监管部门组织和查看。");
  const [contests, regions] = await Promise.all([listContests(listScope(actor)), regionOptions(regionRootOf(actor))]);
  const at = now();
  return {
    contests: contests.map((c) => ({
      ...c,
      starts: formatInstant(c.starts_at),
      ends: formatInstant(c.ends_at),
      state: at < c.starts_at ? "未开始" : at < c.ends_at ? "进行中" : "已结束",
    })),
    regions: regions.filter((r) => r.level !== "town"),
    mayCreate: can(actor, "create", { type: "contest", regionPath: root }),
    defaults: { startsAt: `${todayIso()}T00:00`, endsAt: `${addDays(todayIso(), 14)}T20:00` },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await readForm(request, ContestInput);
  if (!form.ok) return form.response;
  const region = await getRegion(form.data.regionId);
  if (!region) return invalid({ regionId: "区域不存在" }, "请更正标出的内容后再提交。", form.values);
  authorize(actor, "create", { type: "contest", regionPath: region.path });
  const created = await createContest(actor, form.data, clientIp(request));
  if (!created.ok) return refused(created, form.values);
  throw redirect(`/contests/${created.id}`);
}

export default function Contests() {
  const { contests, regions, mayCreate, defaults } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = (k: string, d: string) =>
    result && "values" in result && typeof result.values?.[k] === "string" ? (result.values[k] as string) : d;
  return (
    <>
      <h1>知识竞赛</h1>
      <section className="card">
        <table className="table">
          <thead>
            <tr>
              <th>竞赛</th>
              <th>区域</th>
              <th>时间</th>
              <th>方式</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            {contests.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  还没有竞赛
                </td>
              </tr>
            ) : (
              contests.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/contests/${c.id}`}>{c.title}</Link>
                  </td>
                  <td>{c.region_name}</td>
                  <td className="small">
                    {c.starts} 至 {c.ends}
                  </td>
                  <td>
                    {c.mode === "daily" ? "每日答题" : "一套试卷"} ·{" "}
                    {c.eligibility === "phone" ? "凭手机号参加" : "限在册人员"}
                  </td>
                  <td>{c.state}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>
      {mayCreate ? (
        <section className="card">
          <h2>新建竞赛</h2>
          <Form method="post" className="stack contest-form" noValidate>
            <FormError message={result?.formError} />
            <Field name="title" label="竞赛名称" errors={result?.fieldErrors} required defaultValue={v("title", "")} />
            <div className="grid">
              <Field name="regionId" label="区域" errors={result?.fieldErrors} required>
                {(a) => (
                  <select {...a} defaultValue={v("regionId", String(regions[0]?.id ?? ""))}>
                    {regions.map((r) => (
                      <option key={r.id} value={r.id}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field
                name="startsAt"
                label="开始时间"
                type="datetime-local"
                errors={result?.fieldErrors}
                required
                defaultValue={v("startsAt", defaults.startsAt)}
              />
              <Field
                name="endsAt"
                label="结束时间"
                type="datetime-local"
                errors={result?.fieldErrors}
                required
                defaultValue={v("endsAt", defaults.endsAt)}
              />
            </div>
            <div className="grid">
              <Field name="mode" label="答题方式" errors={result?.fieldErrors} required>
                {(a) => (
                  <select {...a} defaultValue={v("mode", "daily")}>
                    <option value="daily">每日一套（每天随机抽题）</option>
                    <option value="paper">一套试卷（限次）</option>
                  </select>
                )}
              </Field>
              <Field name="eligibility" label="参赛范围" errors={result?.fieldErrors} required>
                {(a) => (
                  <select {...a} defaultValue={v("eligibility", "phone")}>
                    <option value="phone">凡有手机号者均可参加</option>
                    <option value="on_file">限本区域企业在册人员（身份证号）</option>
                  </select>
                )}
              </Field>
              <Field
                name="questionSeconds"
                label="每题限时（秒）"
                type="number"
                errors={result?.fieldErrors}
                required
                defaultValue={v("questionSeconds", "20")}
              />
            </div>
            <div className="grid">
              <Field
                name="single"
                label="单选题（道）"
                type="number"
                errors={result?.fieldErrors}
                defaultValue={v("single", "6")}
              />
              <Field
                name="multiple"
                label="多选题（道）"
                type="number"
                errors={result?.fieldErrors}
                defaultValue={v("multiple", "2")}
              />
              <Field
                name="judge"
                label="判断题（道）"
                type="number"
                errors={result?.fieldErrors}
                defaultValue={v("judge", "2")}
              />
            </div>
            <div className="grid">
              <Field
                name="attemptsPerDay"
                label="每天答题次数"
                type="number"
                errors={result?.fieldErrors}
                defaultValue={v("attemptsPerDay", "1")}
              />
              <Field
                name="personLimit"
                label="每人参赛次数上限"
                type="number"
                errors={result?.fieldErrors}
                defaultValue={v("personLimit", "14")}
              />
            </div>
            <p className="small muted">
              题目从通用题库按规则随机抽取（不抽待复核的题），每题 10 分；排名按最好成绩，同分用时少者在前。
            </p>
            <button type="submit">创建竞赛</button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
