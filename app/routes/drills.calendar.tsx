import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, Link } from "@remix-run/react";
import { now } from "~/lib/clock.server";
import { httpError } from "~/lib/http";
import { formatInstant, monthOf } from "~/lib/calendar";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedDrillScope } from "~/modules/drills/access.server";
import { drillsBetween } from "~/modules/drills/drills.server";
import { MODE_LABELS } from "~/modules/drills/labels";
import { MonthParam } from "~/modules/drills/schema";

export const meta: MetaFunction = () => [{ title: "演练日历 · 安训" }];

const monthStart = (month: string) => new Date(`${month}-01T00:00:00+08:00`);
const shift = (month: string, n: number) => {
  const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}`;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const url = new URL(request.url);
  const monthRaw = url.searchParams.get("month") ?? monthOf(now());
  const month = MonthParam.safeParse(monthRaw);
  if (!month.success) httpError(400, "月份格式应为 2026-12。");
  const scope = await authorizedDrillScope(actor, url);
  if (scope.kind === "none") httpError(403, "您没有可查看的企业或辖区。");
  const from = monthStart(month.data);
  const to = monthStart(shift(month.data, 1));
  const { drills, truncated } = await drillsBetween(
    actor,
    scope.kind === "enterprise" ? { enterpriseId: scope.id } : { regionPath: scope.path },
    from,
    to,
  );
  return {
    month: month.data,
    prev: shift(month.data, -1),
    next: shift(month.data, 1),
    drills,
    truncated,
    title: scope.kind === "enterprise" ? "本企业" : "辖区",
    enterpriseId: scope.kind === "enterprise" ? scope.id : null,
  };
}

/** A month grid, Monday first, in Beijing time; each drill on the day it starts (or its window opens). */
export default function DrillCalendar() {
  const { month, prev, next, drills, truncated, title, enterpriseId } = useLoaderData<typeof loader>();
  const first = new Date(`${month}-01T00:00:00Z`);
  const days = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells = Array.from({ length: Math.ceil((lead + days) / 7) * 7 }, (_, i) => i - lead + 1);
  const byDay = new Map<number, typeof drills>();
  for (const d of drills) {
    const start = formatInstant(
      ("startedAt" in d && d.startedAt) || ("plannedStart" in d && d.plannedStart) || d.windowStart,
    );
    const day = start.startsWith(month) ? Number(start.slice(8, 10)) : 1;
    byDay.set(day, [...(byDay.get(day) ?? []), d]);
  }
  const q = (m: string) => `?month=${m}${enterpriseId ? `&enterpriseId=${enterpriseId}` : ""}`;
  return (
    <>
      <h1>演练日历 · {title}</h1>
      <p>
        <a href={q(prev)}>‹ 上月</a>　<strong>{month.replace("-", " 年 ")} 月</strong>　<a href={q(next)}>下月 ›</a>
      </p>
      {truncated ? <p className="notice">本月演练较多，仅显示前 500 项，请进入企业查看。</p> : null}
      <div className="table-wrap">
        <table className="calendar">
          <thead>
            <tr>
              {["一", "二", "三", "四", "五", "六", "日"].map((d) => (
                <th key={d}>周{d}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: cells.length / 7 }, (_, w) => (
              <tr key={w}>
                {cells.slice(w * 7, w * 7 + 7).map((day, i) => (
                  <td key={i} className={day < 1 || day > days ? "other" : undefined}>
                    {day >= 1 && day <= days ? <span className="day">{day}</span> : null}
                    {(day >= 1 && day <= days ? (byDay.get(day) ?? []) : []).map((d) => (
                      <Link key={d.id} to={`/drills/${d.id}`} title={`${d.enterpriseName} · ${MODE_LABELS[d.mode]}`}>
                        {d.title}
                      </Link>
                    ))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
