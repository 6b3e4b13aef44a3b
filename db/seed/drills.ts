import { sql, type Kysely } from "kysely";
import type { Database, DrillForm, DrillMode, PlanType } from "../types";
import { rebuildDrillDue } from "../../app/modules/drills/plans.server";
import { addMonths, requiredIntervalMonths } from "../../app/modules/drills/rules";
import { addDays } from "../../app/lib/calendar";

/**
 * Emergency plans, past drills and rectification items for the demo city (db/seed/demo.ts), so the drill pages and
 * the regulators' compliance page have something to show: every enterprise has a 综合应急预案, one or two 专项应急预案
 * of its industry and a 现场处置方案, whose drill status is a mix of drilled / due soon / overdue / never drilled.
 *
 * Every drill here is over: status closed (or ended while a rectification is still open), window and times in the
 * past, so tests can plan new drills in the coming weeks without overlapping these.
 */

type PlanState = "drilled" | "soon" | "overdue" | "never_overdue" | "never_new";
type PlanSpec = { type: PlanType; title: string; scenarios: string; roles: string; state: PlanState };
type EnterpriseSpec = { name: string; short: string; plans: PlanSpec[] };

const comprehensiveRoles = (short: string) =>
  [
    `应急指挥部：总指挥由${short}主要负责人担任，负责启动和终止应急响应、调动应急资源、对外报告事故；副总指挥由分管安全负责人担任，总指挥不在时代行职责。`,
    "应急办公室（设在安全管理部）：24 小时值守，接警、研判、通知指挥部成员，按规定时限向属地应急管理部门报告。",
    "抢险救援组：由生产部和设备部组成，负责工艺处置、设备隔离、险情控制和被困人员搜救。",
    "警戒疏散组：由行政部和保卫人员组成，负责设置警戒区、疏散人员、清点人数、引导外部救援力量进场。",
    "医疗救护组：负责伤员现场急救和转送，联系 120 和定点医院。",
    "后勤保障组：负责应急物资、通讯、车辆和资金保障。",
  ].join("\n");

const comprehensive = (short: string, hazards: string, state: PlanState): PlanSpec => ({
  type: "comprehensive",
  title: `${short}生产安全事故综合应急预案`,
  scenarios: `本单位可能发生的生产安全事故：${hazards}。\n响应分级：Ⅰ级（需外部救援力量支援）、Ⅱ级（本单位全力处置）、Ⅲ级（车间或班组可处置）。\n预警信息来源：监控报警、巡检发现、员工报告、气象预警。`,
  roles: comprehensiveRoles(short),
  state,
});

const special = (title: string, scenarios: string, roles: string, state: PlanState): PlanSpec => ({
  type: "special",
  title,
  scenarios,
  roles,
  state,
});
const onsite = (title: string, scenarios: string, roles: string, state: PlanState): PlanSpec => ({
  type: "onsite",
  title,
  scenarios,
  roles,
  state,
});

const ENTERPRISES: EnterpriseSpec[] = [
  {
    name: "安澜宏达化工有限公司",
    short: "宏达化工",
    plans: [
      comprehensive("宏达化工", "危险化学品泄漏、火灾爆炸、中毒窒息、灼烫、触电", "drilled"),
      special(
        "危险化学品泄漏专项应急预案",
        "储罐区甲醇储罐法兰垫片破损泄漏；装卸站槽车软管断裂导致液碱泄漏；泄漏物进入雨水管网的次生环境风险。",
        "现场指挥：当班值班长；工艺处置组：关闭紧急切断阀、倒罐、围堵收集；气体监测组：在下风向 50 米、100 米、200 米布点检测；警戒组：按下风向 300 米设置警戒。",
        "drilled",
      ),
      special(
        "火灾爆炸专项应急预案",
        "合成车间反应釜超温超压引发冲料着火；罐区雷击引燃呼吸阀；动火作业引燃可燃物。",
        "灭火组：启动固定泡沫灭火系统和消防水炮冷却邻罐；工艺组：紧急停车、泄压、切断物料；疏散组：组织非必要人员撤离至厂区东门集合点。",
        "soon",
      ),
      onsite(
        "储罐区泄漏现场处置方案",
        "储罐区单台储罐或管线发生小量泄漏，可由班组在 15 分钟内控制。",
        "班长：确认泄漏点、报告中控室并组织处置；操作工：佩戴正压式空气呼吸器关闭上下游阀门，用吸附棉和沙袋围堵；监护人：在上风向监护并检测可燃气体浓度。",
        "overdue",
      ),
    ],
  },
  {
    name: "安澜金属制品有限公司",
    short: "金属制品",
    plans: [
      comprehensive("金属制品", "高温熔融金属喷溅、煤气中毒、起重伤害、机械伤害、火灾", "soon"),
      special(
        "高温熔融金属喷溅专项应急预案",
        "中频炉炉衬侵蚀导致漏炉；铁水包倾翻；潮湿炉料入炉引发喷溅爆炸。",
        "现场指挥：熔炼车间主任；处置组：紧急断电、倾炉至安全位置、用干沙覆盖；救护组：烫伤人员冷水冲洗后送医；警戒组：封闭熔炼区及下方通道。",
        "drilled",
      ),
      special(
        "煤气中毒专项应急预案",
        "加热炉煤气管道泄漏；煤气区域检修未置换合格即进入作业。",
        "检测组：便携式一氧化碳检测仪检测；救援组：佩戴空气呼吸器双人进入、将中毒人员移至上风向；医疗组：心肺复苏并送高压氧治疗。",
        "never_new",
      ),
      onsite(
        "熔炼炉漏炉现场处置方案",
        "中频炉炉体发红、漏炉报警装置报警或目视发现铁水渗出。",
        "炉前工：立即停电并报告班长；班长：指挥倾炉、启用应急水源冷却感应圈；天车工：将铁水包吊至安全区域。",
        "drilled",
      ),
    ],
  },
  {
    name: "滨江食品冷链有限公司",
    short: "食品冷链",
    plans: [
      comprehensive("食品冷链", "液氨泄漏、火灾、冷库人员被困、叉车伤害、触电", "drilled"),
      special(
        "液氨泄漏专项应急预案",
        "氨制冷机房储氨器、管道阀门泄漏；速冻间蒸发器泄漏；氨气扩散至厂界外。",
        "现场指挥：制冷车间主任；堵漏组：穿戴重型防化服关闭泄漏点前后阀门，启动水幕稀释；疏散组：组织员工向上风向撤离，必要时通知周边单位；监测组：用氨气检测仪持续检测。",
        "overdue",
      ),
      onsite(
        "制冷机房液氨泄漏现场处置方案",
        "机房氨气浓度报警（一级 150 ppm / 二级 300 ppm），或闻到明显氨味。",
        "值班制冷工：启动事故排风、报告值班长；值班长：判断泄漏部位，组织佩戴防护器具关闭阀门；其他人员：撤离至机房外上风向集合点。",
        "drilled",
      ),
    ],
  },
  {
    name: "青山矿业有限公司",
    short: "青山矿业",
    plans: [
      comprehensive("青山矿业", "冒顶片帮、透水、炮烟中毒、提升运输事故、火灾", "overdue"),
      special(
        "冒顶片帮专项应急预案",
        "采场顶板冒落、巷道片帮导致人员被埋压或被困；冒顶引起通风系统破坏。",
        "井下现场指挥：当班带班矿领导；救援组：加强支护后清理冒落岩石，搜救被困人员；通风组：恢复通风、检测有毒有害气体；地面保障组：联系矿山救护队。",
        "never_overdue",
      ),
      special(
        "透水专项应急预案",
        "采掘工作面揭露含水构造或老空区突水；暴雨导致地表水倒灌井下。",
        "撤人：井下人员沿避灾路线向上一中段撤离；排水组：启动全部排水泵；调度室：清点升井人数，联系救护队。",
        "drilled",
      ),
      onsite(
        "井下炮烟中毒现场处置方案",
        "爆破后通风时间不足即进入工作面，人员出现头晕、恶心等中毒症状。",
        "班组长：立即组织撤离至新鲜风流处并报告调度室；救护人员：佩戴自救器进入抢救，将中毒人员转移至地面送医。",
        "overdue",
      ),
    ],
  },
  {
    name: "安澜木业加工有限公司",
    short: "木业加工",
    plans: [
      comprehensive("木业加工", "粉尘爆炸、火灾、机械伤害、触电", "drilled"),
      special(
        "粉尘爆炸专项应急预案",
        "砂光机除尘系统管道内粉尘积聚遇火花爆燃；除尘器灰斗爆炸；二次粉尘爆炸引发厂房火灾。",
        "现场指挥：生产副总；处置组：停止所有产尘设备、切断电源，防止扬尘引发二次爆炸；灭火组：使用水喷雾灭火，严禁直流水冲击积尘；疏散组：人员撤离至厂区南侧空地。",
        "drilled",
      ),
      onsite(
        "除尘系统着火现场处置方案",
        "火花探测报警、除尘器温度异常升高或冒烟。",
        "操作工：按下急停、关闭除尘风机和隔爆阀，报告班长；班长：启动火花熄灭装置和灭火器材，组织无关人员撤离。",
        "soon",
      ),
    ],
  },
  {
    name: "安澜建工第三工程有限公司",
    short: "建工三公司",
    plans: [
      comprehensive("建工三公司", "高处坠落、坍塌、物体打击、起重伤害、触电", "never_overdue"),
      special(
        "高处坠落专项应急预案",
        "脚手架作业人员未系安全带坠落；临边洞口防护缺失导致坠落；吊篮故障。",
        "项目应急小组组长：项目经理；救援组：确认周边安全后实施救助，不得随意搬动疑似脊柱损伤人员；联络组：拨打 120 并引导救护车进场。",
        "drilled",
      ),
      special(
        "基坑坍塌专项应急预案",
        "深基坑支护结构变形超预警值；暴雨后边坡失稳坍塌，人员被埋。",
        "监测组：加密监测并上报数据；抢险组：坑顶卸载、坑内回填反压；救援组：人工配合小型机械挖掘救人。",
        "overdue",
      ),
      onsite(
        "塔吊倾覆现场处置方案",
        "塔吊力矩限制器失灵超载、大风或基础沉降导致倾覆风险。",
        "司机：立即停止作业并报告；信号工：疏散塔吊覆盖范围内人员；机管员：切断塔吊电源并设置警戒。",
        "drilled",
      ),
    ],
  },
  {
    name: "青山烟花爆竹批发有限公司",
    short: "烟花批发",
    plans: [
      comprehensive("烟花批发", "仓库火灾爆炸、运输装卸事故、雷击", "drilled"),
      special(
        "烟花爆竹仓库火灾爆炸专项应急预案",
        "库房内产品受潮自燃或包装破损摩擦起火；装卸过程撞击引发燃爆；雷击引起火灾。",
        "现场指挥：总经理；灭火组：在安全距离外用消防水枪冷却相邻库房，严禁进入着火库房；警戒组：以库区为中心 500 米范围设警戒并疏散周边群众。",
        "soon",
      ),
      onsite(
        "库区装卸着火现场处置方案",
        "装卸作业中产品包装冒烟或起火。",
        "装卸工：立即停止作业，用就近灭火器扑救初起火灾；保管员：关闭库门、报告负责人；其他人员：撤离至安全区。",
        "overdue",
      ),
    ],
  },
  {
    name: "临港物流运输有限公司",
    short: "临港物流",
    plans: [
      comprehensive("临港物流", "道路交通事故、车辆火灾、货物坠落、仓储火灾", "drilled"),
      special(
        "道路交通事故专项应急预案",
        "营运车辆在高速公路发生追尾、侧翻；长途驾驶疲劳导致事故；恶劣天气行车事故。",
        "驾驶员：开启危险报警灯、设置警告标志、报警并报告公司调度；调度：启动预案、联系保险和救援；安全部：赶赴现场协助处置。",
        "drilled",
      ),
      onsite(
        "车辆起火现场处置方案",
        "车辆行驶中发动机舱冒烟或轮胎起火。",
        "驾驶员：靠边停车熄火、疏散乘车人员、使用车载灭火器扑救初起火灾；火势无法控制时撤离至安全距离并拨打 119。",
        "drilled",
      ),
    ],
  },
  {
    name: "安澜水务运营有限公司",
    short: "水务运营",
    plans: [
      comprehensive("水务运营", "有限空间中毒窒息、淹溺、触电、氯气泄漏", "overdue"),
      special(
        "有限空间作业中毒窒息专项应急预案",
        "污水井、泵站集水池内硫化氢、一氧化碳积聚或缺氧，作业人员中毒窒息；盲目施救导致伤亡扩大。",
        "现场负责人：立即停止作业并报警，严禁未佩戴防护装备的人员进入施救；救援组：佩戴正压式空气呼吸器、使用三脚架和救援绳实施非进入式或进入式救援；医疗组：现场心肺复苏。",
        "drilled",
      ),
      onsite(
        "污水井作业中毒窒息现场处置方案",
        "井下作业人员呼叫无应答、气体检测仪报警或监护人发现异常。",
        "监护人：立即呼救并报告，利用安全绳拉出作业人员，不得贸然入井；作业负责人：启动机械通风，组织佩戴呼吸器的救援人员入井。",
        "never_new",
      ),
    ],
  },
  {
    name: "青山纺织有限公司",
    short: "青山纺织",
    plans: [
      comprehensive("青山纺织", "火灾、机械伤害、触电、粉尘（棉尘）火灾", "never_new"),
      special(
        "火灾专项应急预案",
        "纺纱车间棉尘遇电气火花起火；仓库棉包火灾；宿舍火灾。",
        "义务消防队：使用室内消火栓和灭火器扑救初起火灾；疏散组：按疏散图组织人员从最近安全出口撤离并清点人数；电工：切断着火区域电源。",
        "drilled",
      ),
      onsite(
        "机械伤害现场处置方案",
        "梳棉机、并条机清理作业时手部被卷入。",
        "操作工：立即按下急停按钮；班长：切断电源后反向盘车或拆卸部件解救，严禁直接倒转；救护员：止血包扎，断指用干净纱布包好冷藏随伤员送医。",
        "drilled",
      ),
    ],
  },
];

const MODES: DrillMode[] = ["scripted", "unscripted", "double_blind", "scripted"];
const MILESTONE_OFFSETS: { milestone: string; seconds: number; note: string | null }[] = [
  { milestone: "alarm", seconds: 0, note: "现场人员发现险情并按下报警按钮" },
  { milestone: "first_report", seconds: 95, note: "当班班长向应急办公室报告" },
  { milestone: "command_set_up", seconds: 250, note: "应急指挥部在中控室成立" },
  { milestone: "evacuation_complete", seconds: 570, note: null },
  { milestone: "head_count_done", seconds: 720, note: "集合点清点人数，无人员缺失" },
  { milestone: "all_clear", seconds: 2280, note: "险情消除，总指挥宣布解除警报" },
];

/** Demo plans, past drills and rectifications; does nothing when plans already exist (or the demo city is not there). */
export async function seedDrills(db: Kysely<Database>, today: string): Promise<boolean> {
  const existing = await db.selectFrom("emergency_plan").select("id").limit(1).executeTakeFirst();
  if (existing) return false;
  const enterprises = await db
    .selectFrom("enterprise")
    .select(["id", "name", "region_path", "industry_code"])
    .where(
      "name",
      "in",
      ENTERPRISES.map((e) => e.name),
    )
    .execute();
  if (enterprises.length === 0) return false;
  const work = async (trx: Kysely<Database>) => {
    await seedWith(trx, today, enterprises);
    await rebuildDrillDue(trx);
  };
  if (db.isTransaction) await work(db);
  else await db.transaction().execute(work);
  return true;
}

async function seedWith(
  db: Kysely<Database>,
  today: string,
  enterprises: { id: number; name: string; region_path: string; industry_code: string }[],
) {
  const day = (n: number) => addDays(today, n);
  const daysAfter = (iso: string, n: number) => addDays(iso, n);
  /** A Beijing wall-clock time on a date. */
  const at = (iso: string, hhmm: string) => new Date(`${iso}T${hhmm}:00+08:00`);
  const plus = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);

  const users = await db
    .selectFrom("user")
    .select(["id", "username", "role", "enterprise_id", "display_name"])
    .where("role", "in", ["admin", "enterprise_officer"])
    .orderBy("username")
    .execute();
  const admin = users.find((u) => u.username === "admin") ?? users.find((u) => u.role === "admin");
  const organizerOf = (enterpriseId: number) =>
    users.find(
      (u) => u.role === "enterprise_officer" && u.enterprise_id === enterpriseId && u.username === "officer",
    ) ??
    users.find((u) => u.role === "enterprise_officer" && u.enterprise_id === enterpriseId) ??
    admin;
  // Findings go to people without an account, so the demo accounts' own to-do lists stay as the other seeds made them.
  const withAccount = new Set(
    (await db.selectFrom("user").select("person_id").where("person_id", "is not", null).execute()).map(
      (u) => u.person_id,
    ),
  );
  const people = (
    await db
      .selectFrom("person")
      .select(["id", "enterprise_id", "post"])
      .where(
        "enterprise_id",
        "in",
        enterprises.map((e) => e.id),
      )
      .where("active", "=", 1)
      .orderBy("id")
      .execute()
  ).filter((p) => !withAccount.has(p.id));
  const byName = new Map(enterprises.map((e) => [e.name, e]));

  let drillSeq = 0;
  for (const [ei, spec] of ENTERPRISES.entries()) {
    const e = byName.get(spec.name);
    if (!e) continue;
    const organizer = organizerOf(e.id);
    if (!organizer) throw new Error("seedDrills: the demo accounts must exist first (run after seedDemo)");
    const staff = people.filter((p) => p.enterprise_id === e.id);
    const owner =
      staff.find((p) => p.post === "special_operator") ?? staff.find((p) => p.post === "safety_manager") ?? staff[0];
    let findingRaised = false;

    for (const [pi, p] of spec.plans.entries()) {
      const interval = requiredIntervalMonths(p.type, e.industry_code);
      const jitter = (ei * 7 + pi * 11) % 20;
      let last: string | null = null;
      let issued: string | undefined;
      switch (p.state) {
        case "drilled":
          last = day(-(interval === 6 ? 40 : 95) - jitter);
          break;
        case "soon":
          last = addMonths(day(8 + jitter), -interval);
          break;
        case "overdue":
          last = addMonths(day(-35 - jitter), -interval);
          break;
        case "never_overdue":
          issued = addMonths(day(-60 - jitter), -interval);
          break;
        case "never_new":
          issued = day(-20 - jitter);
          break;
      }
      issued ??= daysAfter(last!, -150 - jitter * 3);
      const dueOn = addMonths(last ?? issued, interval);
      const planRes = await db
        .insertInto("emergency_plan")
        .values({
          enterprise_id: e.id,
          region_path: e.region_path,
          industry_code: e.industry_code,
          type: p.type,
          title: p.title,
          scenarios: p.scenarios,
          response_roles: p.roles,
          issued_on: issued,
          interval_months: interval,
          last_drilled_on: last,
          due_on: dueOn,
          created_by: organizer.id,
        })
        .executeTakeFirstOrThrow();
      const planId = Number(planRes.insertId);
      await sql`UPDATE emergency_plan SET created_at = ${at(issued, "09:00")}, updated_at = ${at(last ?? issued, "17:00")} WHERE id = ${planId}`.execute(
        db,
      );
      if (!last) continue;

      // The drill that set last_drilled_on.
      const mode = MODES[drillSeq % MODES.length];
      const form: DrillForm = p.type === "comprehensive" && drillSeq % 2 === 0 ? "tabletop" : "live";
      drillSeq++;
      const startedAt = at(last, mode === "double_blind" ? "14:20" : "09:30");
      const endedAt = plus(startedAt, form === "tabletop" ? 90 * 60 : 50 * 60);
      // The chemical works' leak drill still has an open, overdue finding: ended, not closed.
      const openFinding = ei === 0 && p.type === "special" && p.state === "drilled";
      const closedAt = openFinding ? null : at(daysAfter(last, 16), "16:00");
      const shortTitle = p.title.replace("应急预案", "应急").replace("现场处置方案", "现场处置");
      const drillRes = await db
        .insertInto("drill")
        .values({
          plan_id: planId,
          enterprise_id: e.id,
          region_path: e.region_path,
          industry_code: e.industry_code,
          organizer_user_id: organizer.id,
          title: `${shortTitle}${form === "tabletop" ? "桌面推演" : "实战演练"}`,
          form,
          mode,
          announce_window: mode === "double_blind" && drillSeq % 2 === 0 ? 0 : 1,
          window_start: at(daysAfter(last, -5), "00:00"),
          window_end: at(daysAfter(last, 2), "18:00"),
          planned_start: startedAt,
          objectives:
            "检验预案的可操作性和各应急小组的协同配合；检验报警、报告和指挥部成立的时效；检验人员疏散和清点的组织。",
          scenario: p.scenarios.split("；")[0].replace(/。$/, "") + "。",
          teams: form === "tabletop" ? "应急指挥部全体成员" : "抢险救援组、警戒疏散组、医疗救护组",
          status: openFinding ? "ended" : "closed",
          started_at: startedAt,
          ended_at: endedAt,
          closed_at: closedAt,
          summary: openFinding ? null : "演练按计划完成，各小组响应基本到位；发现的问题已全部整改并验收。",
        })
        .executeTakeFirstOrThrow();
      const drillId = Number(drillRes.insertId);
      await sql`UPDATE drill SET created_at = ${at(daysAfter(last, -20), "10:00")} WHERE id = ${drillId}`.execute(db);

      // A log of milestones for a few drills.
      if (drillSeq % 6 === 1) {
        await db
          .insertInto("drill_event")
          .values(
            MILESTONE_OFFSETS.map((m) => ({
              drill_id: drillId,
              milestone: m.milestone,
              note: m.note,
              at: plus(startedAt, m.seconds + (drillSeq % 4) * 20),
              logged_by: organizer.id,
              logged_by_name: organizer.display_name,
            })),
          )
          .execute();
      }

      // Findings: the open, overdue one at the chemical works, and closed ones at a few others.
      const findings: { finding: string; status: "open" | "closed"; dueOn: string }[] = [];
      if (openFinding) {
        findings.push({
          finding:
            "储罐区泄漏报警后，中控室未按预案在 3 分钟内关闭紧急切断阀，实际用时 9 分钟；需修订操作规程并对中控人员专项培训",
          status: "open",
          dueOn: day(-10),
        });
        findings.push({
          finding: "应急物资柜内 2 台正压式空气呼吸器气瓶压力不足 20 MPa",
          status: "closed",
          dueOn: daysAfter(last, 14),
        });
      } else if ((ei === 1 || ei === 3 || ei === 5) && p.type !== "comprehensive" && !findingRaised) {
        findings.push({
          finding:
            ei === 1
              ? "熔炼车间 3 处应急照明灯不亮，疏散指示标志被物料遮挡"
              : ei === 3
                ? "井下避险硐室应急电话无法接通地面调度室"
                : "基坑临边防护栏杆有 2 处缺失，应急逃生梯未固定",
          status: "closed",
          dueOn: daysAfter(last, 14),
        });
      }
      if (findings.length) findingRaised = true;
      for (const f of owner ? findings : []) {
        const closed = f.status === "closed";
        const res = await db
          .insertInto("rectification")
          .values({
            drill_id: drillId,
            enterprise_id: e.id,
            region_path: e.region_path,
            finding: f.finding,
            criterion_id: null,
            owner_person_id: owner.id,
            due_on: f.dueOn,
            status: f.status,
            raised_by: organizer.id,
            evidence: closed ? "已完成整改，附整改前后照片和复查记录。" : null,
            submitted_at: closed ? at(daysAfter(last, 12), "15:00") : null,
            verified_by: closed ? organizer.id : null,
            verified_at: closed ? at(daysAfter(last, 15), "10:00") : null,
            verification_note: closed ? "现场复查合格" : null,
          })
          .executeTakeFirstOrThrow();
        await sql`UPDATE rectification SET created_at = ${plus(endedAt, 3600)} WHERE id = ${Number(res.insertId)}`.execute(
          db,
        );
      }
    }
  }
}
