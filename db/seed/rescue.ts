import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, RescueTeamKind } from "../types";
import { addDays, addMonths } from "../../app/lib/calendar";
import { hashIdNumber } from "../../app/modules/org/id-hash.server";
import { maskIdNumber } from "../../app/modules/org/identifiers";
import { makeIdNumber } from "./identifiers";

/**
 * Demo rescue teams of 安澜市 (decision 0025): a professional team of 12 (10 core, 9 holding a 救护员证), a town team
 * and a social emergency force, plus comprehensive plans for three of the seven towns. Area code 339977 keeps the
 * members' ID numbers apart from the demo people's.
 */
const TEAMS: {
  name: string;
  kind: RescueTeamKind;
  town: string;
  size: number;
  core: number;
  holders: number;
  minutes: number;
  strength: number;
  firstN: number;
  equipment: string;
}[] = [
  {
    name: "滨江区危化品专业救援队",
    kind: "professional",
    town: "江南街道",
    size: 12,
    core: 10,
    holders: 9,
    minutes: 30,
    strength: 10,
    firstN: 3,
    equipment: "抢险救援车 2 辆\n正压式空气呼吸器 12 具\n重型防化服 8 套\n堵漏工具组 2 套",
  },
  {
    name: "江南街道综合应急救援队",
    kind: "town",
    town: "江南街道",
    size: 8,
    core: 6,
    holders: 4,
    minutes: 30,
    strength: 6,
    firstN: 2,
    equipment: "应急指挥车 1 辆\n抽水泵 4 台\n救生衣 30 件\n广播喇叭 6 个",
  },
  {
    name: "安澜蓝天救援队",
    kind: "social",
    town: "临港镇",
    size: 6,
    core: 5,
    holders: 5,
    minutes: 45,
    strength: 4,
    firstN: 2,
    equipment: "冲锋舟 2 艘\n无人机 2 架\n绳索救援装备 1 套",
  },
];
const NAMES = [
  "陈建华",
  "林志远",
  "黄晓东",
  "吴海涛",
  "郑立新",
  "孙国强",
  "马文博",
  "朱永刚",
  "胡振宇",
  "郭明亮",
  "何俊杰",
  "罗德胜",
  "高峰",
  "梁伟",
  "宋涛",
  "唐磊",
  "许亮",
  "韩冰",
  "冯刚",
  "曹勇",
  "彭军",
  "曾斌",
  "萧明",
  "田野",
  "董超",
  "袁杰",
];

export async function seedRescue(db: Kysely<Database>, today: string) {
  const regulator = await db.selectFrom("user").select("id").where("username", "=", "regulator").executeTakeFirst();
  if (!regulator) return;
  const towns = new Map(
    (await db.selectFrom("region").select(["id", "name", "path"]).where("level", "=", "town").execute()).map((t) => [
      t.name,
      t,
    ]),
  );
  let n = 0;
  await db.transaction().execute(async (trx) => {
    for (const t of TEAMS) {
      const town = towns.get(t.town)!;
      const res = await trx
        .insertInto("rescue_team")
        .values({
          name: t.name,
          kind: t.kind,
          region_id: town.id,
          region_path: town.path,
          enterprise_id: null,
          equipment: t.equipment,
          standard_minutes: t.minutes,
          required_strength: t.strength,
          first_n: t.firstN,
          created_by: regulator.id,
        })
        .executeTakeFirstOrThrow();
      const teamId = Number(res.insertId);
      for (let i = 0; i < t.size; i++) {
        const id = makeIdNumber("339977", `19${75 + (n % 20)}-0${1 + (n % 9)}-1${n % 10}`, n);
        const m = await trx
          .insertInto("rescue_member")
          .values({
            team_id: teamId,
            region_path: town.path,
            name: NAMES[n % NAMES.length],
            phone: `139${String(10000000 + n * 7919).slice(0, 8)}`,
            id_number_hash: hashIdNumber(id),
            id_number_masked: maskIdNumber(id),
            person_id: null,
            core: i < t.core ? 1 : 0,
          })
          .executeTakeFirstOrThrow();
        n++;
        if (i < t.holders) {
          const issued = addDays(today, -200 - i * 30);
          await trx
            .insertInto("rescue_cert")
            .values({
              member_id: Number(m.insertId),
              kind: "rescuer",
              number: `JH${String(n).padStart(6, "0")}`,
              issued_on: issued,
              expires_on: addDays(addMonths(issued, 36), -1),
              created_by: regulator.id,
            })
            .execute();
        }
      }
    }
    for (const [name, title] of [
      ["江南街道", "江南街道突发事件综合应急预案"],
      ["长河街道", "长河街道突发事件综合应急预案"],
      ["青山镇", "青山镇突发事件综合应急预案"],
    ] as const) {
      const town = towns.get(name)!;
      const issued = addDays(today, -300);
      await trx
        .insertInto("town_plan")
        .values({
          region_id: town.id,
          region_path: town.path,
          type: "comprehensive",
          title,
          issued_on: issued,
          interval_months: 12,
          due_on: addMonths(issued, 12),
          created_by: regulator.id,
        })
        .execute();
    }
    // A past double-blind check of the professional team, passed: its call-out with arrivals 4–20 minutes after the start.
    const team = await trx
      .selectFrom("rescue_team")
      .selectAll()
      .where("name", "=", TEAMS[0].name)
      .executeTakeFirstOrThrow();
    const start = new Date(Date.now() - 20 * 86400_000);
    const check = await trx
      .insertInto("spot_check")
      .values({
        organizer_user_id: regulator.id,
        schedule_id: null,
        target_kind: "team",
        team_id: team.id,
        enterprise_id: null,
        region_path: team.region_path,
        title: "夜间危化品泄漏拉动抽查",
        scenario: "接到化工园区泄漏报警，全体队员携防化装备到园区集结点集结。",
        window_start: new Date(start.getTime() - 3 * 86400_000),
        window_end: new Date(start.getTime() + 3 * 86400_000),
        planned_at: start,
        status: "ended",
        started_at: start,
        ended_at: new Date(start.getTime() + 3600_000),
        outcome: "pass",
        findings: null,
      })
      .executeTakeFirstOrThrow();
    const callout = await trx
      .insertInto("callout")
      .values({
        team_id: team.id,
        region_path: team.region_path,
        spot_check_id: Number(check.insertId),
        organizer_user_id: regulator.id,
        standard_minutes: team.standard_minutes,
        required_strength: team.required_strength,
        first_n: team.first_n,
        message: "夜间危化品泄漏拉动抽查",
        started_at: start,
        ended_at: new Date(start.getTime() + 3600_000),
      })
      .executeTakeFirstOrThrow();
    const teamMembers = await trx
      .selectFrom("rescue_member")
      .select("id")
      .where("team_id", "=", team.id)
      .orderBy("id")
      .execute();
    await trx
      .insertInto("callout_member")
      .values(
        teamMembers.map((m, i) => ({
          callout_id: Number(callout.insertId),
          member_id: m.id,
          token: randomBytes(16).toString("hex"),
          device_hash: null,
          acked_at: new Date(start.getTime() + (30 + i * 20) * 1000),
          arrived_at: i < 11 ? new Date(start.getTime() + (4 + i * 1.5) * 60_000) : null,
        })),
      )
      .execute();
    const jn = towns.get("江南街道")!;
    const issued = addDays(today, -100);
    await trx
      .insertInto("town_plan")
      .values({
        region_id: jn.id,
        region_path: jn.path,
        type: "evacuation",
        title: "江南街道防汛防台风转移避险方案",
        issued_on: issued,
        interval_months: 12,
        due_on: addMonths(issued, 12),
        created_by: regulator.id,
      })
      .execute();
  });
}
