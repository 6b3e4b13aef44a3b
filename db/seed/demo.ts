import type { Kysely } from "kysely";
import { generateIdFromEntropySize } from "lucia";
import type { Database, Post, RiskLevel, Role } from "../types";
import { hashPassword } from "../../app/modules/auth/password.server";
import { personIdNumberColumns } from "../../app/modules/org/id-hash.server";
import { seedDrills } from "./drills";
import { seedRescue } from "./rescue";
import { seedContestsAndSites } from "./contests";
import { seedEnforcement } from "./enforcement";
import { makeIdNumber, makeUscc } from "./identifiers";
import { addDays } from "../../app/lib/calendar";
import { todayIso } from "../../app/lib/clock.server";
import { sendReminders } from "../../app/modules/notifications/reminders.server";

export const DEMO_PASSWORD = "Anxun2026";

/** Demo accounts, one per role (and a second officer and inspector to show scoping). Listed in the README. */
export const DEMO_ACCOUNTS: { username: string; role: Role; displayName: string; note: string }[] = [
  { username: "admin", role: "admin", displayName: "系统管理员", note: "全部功能" },
  { username: "regulator", role: "regulator", displayName: "市应急管理局 培训科", note: "安澜市全市" },
  { username: "inspector", role: "inspector", displayName: "滨江区执法大队 王检查", note: "滨江区" },
  {
    username: "officer",
    role: "enterprise_officer",
    displayName: "宏达化工 安全培训管理员",
    note: "安澜宏达化工有限公司",
  },
  { username: "worker", role: "worker", displayName: "宏达化工 操作工", note: "安澜宏达化工有限公司的一名从业人员" },
  {
    username: "officer2",
    role: "enterprise_officer",
    displayName: "金属制品 安全培训管理员",
    note: "安澜金属制品有限公司（临港区）",
  },
  { username: "inspector2", role: "inspector", displayName: "青山县执法大队 李检查", note: "青山县" },
  {
    username: "evaluator",
    role: "worker",
    displayName: "宏达化工 安全员 赵评估",
    note: "安澜宏达化工有限公司的安全生产管理人员，演练评估人员",
  },
];

const REGIONS = {
  name: "安澜市",
  code: "339900",
  children: [
    { name: "滨江区", code: "339901", children: ["江南街道", "长河街道", "浦沿街道"] },
    { name: "临港区", code: "339902", children: ["临港镇", "新港街道"] },
    { name: "青山县", code: "339903", children: ["青山镇", "石门镇"] },
  ],
};

const ENTERPRISES: { name: string; industry: string; town: string; risk: RiskLevel }[] = [
  { name: "安澜宏达化工有限公司", industry: "hazardous_chemicals", town: "江南街道", risk: "orange" },
  { name: "安澜金属制品有限公司", industry: "metallurgy", town: "临港镇", risk: "yellow" },
  { name: "滨江食品冷链有限公司", industry: "ammonia_refrigeration", town: "长河街道", risk: "yellow" },
  { name: "青山矿业有限公司", industry: "non_coal_mining", town: "石门镇", risk: "red" },
  { name: "安澜木业加工有限公司", industry: "dust_explosion", town: "新港街道", risk: "orange" },
  { name: "安澜建工第三工程有限公司", industry: "construction", town: "浦沿街道", risk: "yellow" },
  { name: "青山烟花爆竹批发有限公司", industry: "fireworks", town: "青山镇", risk: "orange" },
  { name: "临港物流运输有限公司", industry: "transport", town: "临港镇", risk: "blue" },
  { name: "安澜水务运营有限公司", industry: "confined_space", town: "长河街道", risk: "yellow" },
  { name: "青山纺织有限公司", industry: "other_industry_trade", town: "青山镇", risk: "blue" },
];

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高";
const GIVEN = [
  "伟",
  "芳",
  "娜",
  "敏",
  "静",
  "强",
  "磊",
  "军",
  "洋",
  "勇",
  "艳",
  "杰",
  "涛",
  "明",
  "超",
  "秀英",
  "建国",
  "海燕",
  "志强",
  "丽华",
];
const STAFF: { post: Post; count: number }[] = [
  { post: "principal", count: 1 },
  { post: "safety_manager", count: 2 },
  { post: "special_operator", count: 3 },
  { post: "worker", count: 6 },
];

export async function seedDemo(db: Kysely<Database>) {
  const existing = await db.selectFrom("region").select("id").limit(1).executeTakeFirst();
  if (existing) return false;

  await db.transaction().execute(async (trx) => {
    const addRegion = async (
      name: string,
      level: "city" | "district" | "town",
      code: string | null,
      parentPath: string,
      parentId: number | null,
    ) => {
      const res = await trx
        .insertInto("region")
        .values({ name, level, code, parent_id: parentId, path: "" })
        .executeTakeFirstOrThrow();
      const id = Number(res.insertId);
      const path = `${parentPath}${id}/`;
      await trx.updateTable("region").set({ path }).where("id", "=", id).execute();
      return { id, path };
    };
    const city = await addRegion(REGIONS.name, "city", REGIONS.code, "/", null);
    const towns = new Map<string, { id: number; path: string; code: string }>();
    const districts = new Map<string, { id: number; path: string }>();
    for (const d of REGIONS.children) {
      const district = await addRegion(d.name, "district", d.code, city.path, city.id);
      districts.set(d.name, district);
      for (const t of d.children)
        towns.set(t, { ...(await addRegion(t, "town", null, district.path, district.id)), code: d.code });
    }

    let personSeq = 0;
    const enterpriseIds: number[] = [];
    const peopleOfFirst: { id: number; post: Post }[] = [];
    for (const [i, e] of ENTERPRISES.entries()) {
      const town = towns.get(e.town)!;
      const res = await trx
        .insertInto("enterprise")
        .values({
          name: e.name,
          uscc: makeUscc(town.code, 100 + i),
          region_id: town.id,
          region_path: town.path,
          industry_code: e.industry,
          risk_level: e.risk,
          address: `${REGIONS.name}${e.town}${i + 1}号`,
          contact_phone: `0571-8${String(6000000 + i).slice(0, 7)}`,
        })
        .executeTakeFirstOrThrow();
      const enterpriseId = Number(res.insertId);
      enterpriseIds.push(enterpriseId);
      for (const { post, count } of STAFF) {
        for (let k = 0; k < count; k++) {
          personSeq++;
          const birthYear = 1970 + ((personSeq * 7) % 30);
          const idNumber = makeIdNumber(town.code, `${birthYear}-0${1 + (personSeq % 9)}-1${personSeq % 9}`, personSeq);
          const p = await trx
            .insertInto("person")
            .values({
              enterprise_id: enterpriseId,
              name: SURNAMES[personSeq % SURNAMES.length] + GIVEN[(personSeq * 3) % GIVEN.length],
              ...personIdNumberColumns(idNumber),
              phone: `139${String(10000000 + personSeq * 7919).slice(0, 8)}`,
              post,
              hire_date: `20${10 + (personSeq % 14)}-0${1 + (personSeq % 9)}-01`,
            })
            .executeTakeFirstOrThrow();
          if (i === 0) peopleOfFirst.push({ id: Number(p.insertId), post });
        }
      }
    }

    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const firstSafetyManager = peopleOfFirst.find((p) => p.post === "safety_manager")!.id;
    const firstWorker = peopleOfFirst.find((p) => p.post === "worker")!.id;
    const secondSafetyManager = peopleOfFirst.filter((p) => p.post === "safety_manager")[1].id;
    const scope: Record<string, { enterprise_id?: number; region_id?: number; person_id?: number }> = {
      admin: {},
      regulator: { region_id: city.id },
      inspector: { region_id: districts.get("滨江区")!.id },
      officer: { enterprise_id: enterpriseIds[0], person_id: firstSafetyManager },
      worker: { enterprise_id: enterpriseIds[0], person_id: firstWorker },
      officer2: { enterprise_id: enterpriseIds[1] },
      inspector2: { region_id: districts.get("青山县")!.id },
      evaluator: { enterprise_id: enterpriseIds[0], person_id: secondSafetyManager },
    };
    // Certificates: the first enterprise has a mix of statuses; every other enterprise's principal and first
    // special operator hold valid ones.
    const day = (n: number) => addDays(todayIso(), n);
    const people = await trx.selectFrom("person").select(["id", "post", "enterprise_id"]).orderBy("id").execute();
    const paths = new Map(
      (await trx.selectFrom("enterprise").select(["id", "region_path"]).execute()).map((e) => [e.id, e.region_path]),
    );
    let certNo = 0;
    const cert = (
      personId: number,
      enterpriseId: number,
      kind: "principal_manager" | "special_operation",
      validFrom: string,
      expires: string,
      review: string | null,
    ) => {
      certNo++;
      const validUntil = [expires, review].filter((d): d is string => Boolean(d)).sort()[0];
      return {
        person_id: personId,
        enterprise_id: enterpriseId,
        region_path: paths.get(enterpriseId)!,
        kind,
        number: `${kind === "special_operation" ? "T" : "A"}339900${String(certNo).padStart(8, "0")}`,
        category: kind === "special_operation" ? "焊接与热切割作业" : null,
        item: kind === "special_operation" ? "熔化焊接与热切割作业" : null,
        authority: "安澜市应急管理局",
        first_issued_on: validFrom,
        valid_from: validFrom,
        expires_on: expires,
        review_due_on: review,
        valid_until: validUntil,
      };
    };
    const certs = [];
    for (const eid of enterpriseIds) {
      const staff = people.filter((p) => p.enterprise_id === eid);
      const principal = staff.find((p) => p.post === "principal")!;
      const [sm1] = staff.filter((p) => p.post === "safety_manager");
      const ops = staff.filter((p) => p.post === "special_operator");
      certs.push(cert(principal.id, eid, "principal_manager", day(-400), day(700), null));
      certs.push(cert(ops[0].id, eid, "special_operation", day(-1000), day(1190), day(400)));
      if (eid === enterpriseIds[0]) {
        certs.push(cert(sm1.id, eid, "principal_manager", day(-1000), day(60), null)); // expiring soon
        certs.push(cert(ops[1].id, eid, "special_operation", day(-2200), day(-10), null)); // expired
        certs.push(cert(ops[2].id, eid, "special_operation", day(-1070), day(1120), day(25))); // review due within 30 days
      }
    }
    await trx.insertInto("certificate").values(certs).execute();

    // Training tasks of the first enterprise, when the course catalog is loaded.
    const courses = new Map(
      (await trx.selectFrom("course").select(["id", "slug"]).execute()).map((c) => [c.slug, c.id]),
    );
    const officerId = generateIdFromEntropySize(10);
    const inDays = (n: number) => addDays(todayIso(), n);
    const demoAssignments = [
      { slug: "work-safety-law", target: "everyone" as const, due_on: inDays(30) },
      {
        slug: "confined-spaces",
        target: "post" as const,
        target_post: "special_operator" as const,
        due_on: inDays(14),
      },
      {
        slug: "emergency-plans-drills",
        target: "post" as const,
        target_post: "safety_manager" as const,
        due_on: inDays(60),
      },
      { slug: "hazardous-chemicals", target: "new_hires" as const, due_days: 30 },
    ];
    for (const a of demoAssignments) {
      const courseId = courses.get(a.slug);
      if (!courseId) continue;
      await trx
        .insertInto("course_assignment")
        .values({
          enterprise_id: enterpriseIds[0],
          course_id: courseId,
          target: a.target,
          target_post: "target_post" in a ? a.target_post : null,
          due_on: "due_on" in a ? a.due_on : null,
          due_days: "due_days" in a ? a.due_days : null,
          created_by: officerId,
        })
        .execute();
    }

    // An open exam for everyone at the first enterprise, on the shared yearly template.
    const yearly = await trx
      .selectFrom("exam_template")
      .select("id")
      .where("enterprise_id", "is", null)
      .orderBy("id")
      .limit(1)
      .executeTakeFirst();
    if (yearly) {
      await trx
        .insertInto("exam")
        .values({
          template_id: yearly.id,
          enterprise_id: enterpriseIds[0],
          title: "2026 年度全员安全生产知识考试",
          posts: "principal,safety_manager,special_operator,worker",
          opens_at: new Date(Date.now() - 86400_000),
          closes_at: new Date(Date.now() + 30 * 86400_000),
          created_by: officerId,
        })
        .execute();
    }

    for (const a of DEMO_ACCOUNTS) {
      await trx
        .insertInto("user")
        .values({
          id: a.username === "officer" ? officerId : generateIdFromEntropySize(10),
          username: a.username,
          password_hash: passwordHash,
          role: a.role,
          display_name: a.displayName,
          enterprise_id: null,
          region_id: null,
          person_id: null,
          ...scope[a.username],
        })
        .execute();
    }
  });
  await seedDrills(db, todayIso());
  await seedPhoneShell(db);
  await seedRescue(db, todayIso());
  await seedContestsAndSites(db, todayIso());
  await seedEnforcement(db, todayIso());
  return true;
}

/** phone-shell: today's reminders (certificates due for review or expiring, assignments due), as the daily job would write. */
async function seedPhoneShell(db: Kysely<Database>) {
  await sendReminders(todayIso(), db);
}
