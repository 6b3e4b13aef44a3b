import type { Kysely } from "kysely";
import type { Database } from "../types";
import { addDays } from "../../app/lib/calendar";
import { hashIdNumber } from "../../app/modules/org/id-hash.server";
import { maskIdNumber, usccCheckChar } from "../../app/modules/org/identifiers";
import { certDatesFor } from "../../app/modules/enforcement/rules";
import { makeIdNumber } from "./identifiers";

/**
 * Demo enforcement units 执法单位 (decision 0029): the city's 支队 and a 大队 in each district, with their people. The
 * `regulator`, `inspector` and `inspector2` accounts are people of them. Most hold a valid 执法证; a few expire within
 * 90 days, one has lapsed and one (newly hired) has none yet. Area code 339988 keeps their ID numbers apart.
 */
const UNITS: {
  name: string;
  region: string;
  level: "detachment" | "brigade";
  people: { name: string; account?: string; cert: number | "expired" | "none" }[];
}[] = [
  {
    name: "安澜市应急管理综合行政执法支队",
    region: "安澜市",
    level: "detachment",
    people: [
      { name: "周文静", account: "regulator", cert: 900 },
      { name: "陈志远", cert: 1200 },
      { name: "刘海燕", cert: 40 },
    ],
  },
  {
    name: "滨江区应急管理综合行政执法大队",
    region: "滨江区",
    level: "brigade",
    people: [
      { name: "王立新", account: "inspector", cert: 1500 },
      { name: "赵明辉", cert: 700 },
      { name: "孙丽娟", cert: 60 },
      { name: "钱伟", cert: "expired" },
      { name: "吴晓东", cert: "none" },
    ],
  },
  {
    name: "临港区应急管理综合行政执法大队",
    region: "临港区",
    level: "brigade",
    people: [
      { name: "郑国华", cert: 1000 },
      { name: "冯建军", cert: 800 },
      { name: "褚静", cert: 1600 },
    ],
  },
  {
    name: "青山县应急管理综合行政执法大队",
    region: "青山县",
    level: "brigade",
    people: [
      { name: "李国强", account: "inspector2", cert: 1100 },
      { name: "卫东升", cert: 20 },
      { name: "蒋红梅", cert: 1300 },
    ],
  },
];

/** A valid (fictional) code of a government organ (registration "11": 机关). */
function organUscc(areaCode: string, serial: number) {
  const first17 = `11${areaCode}${String(serial).padStart(9, "0")}`;
  return first17 + usccCheckChar(first17);
}

export async function seedEnforcement(db: Kysely<Database>, today: string) {
  const rule = await db
    .selectFrom("enforcement_cert_kind")
    .selectAll()
    .where("code", "=", "law_enforcement")
    .executeTakeFirstOrThrow();
  const regulator = await db.selectFrom("user").select("id").where("username", "=", "regulator").executeTakeFirst();
  const by = regulator?.id ?? "seed";
  let seq = 0;
  await db.transaction().execute(async (trx) => {
    for (const [i, u] of UNITS.entries()) {
      const region = await trx
        .selectFrom("region")
        .select(["id", "path", "code"])
        .where("name", "=", u.region)
        .executeTakeFirstOrThrow();
      const res = await trx
        .insertInto("enterprise")
        .values({
          name: u.name,
          uscc: organUscc(region.code ?? "339900", 900 + i),
          region_id: region.id,
          region_path: region.path,
          industry_code: "law_enforcement",
          risk_level: "blue",
          address: `${u.region}行政中心`,
          contact_phone: null,
        })
        .executeTakeFirstOrThrow();
      const unitId = Number(res.insertId);
      await trx
        .insertInto("enforcement_unit")
        .values({
          enterprise_id: unitId,
          level: u.level,
          region_id: region.id,
          region_path: region.path,
          created_by: by,
        })
        .execute();
      // The yearly law course for every unit, assigned by the city's training officer.
      const course = await trx
        .selectFrom("course")
        .select("id")
        .where("slug", "=", "work-safety-law")
        .executeTakeFirst();
      if (course)
        await trx
          .insertInto("course_assignment")
          .values({
            enterprise_id: unitId,
            course_id: course.id,
            target: "everyone",
            target_post: null,
            target_person_id: null,
            due_on: addDays(today, 45),
            due_days: null,
            created_by: by,
          })
          .execute();
      for (const p of u.people) {
        seq++;
        const idNumber = makeIdNumber("339988", `19${80 + (seq % 15)}-0${1 + (seq % 9)}-1${seq % 9}`, seq);
        const person = await trx
          .insertInto("person")
          .values({
            enterprise_id: unitId,
            name: p.name,
            id_number_hash: hashIdNumber(idNumber),
            id_number_masked: maskIdNumber(idNumber),
            phone: `138${String(20000000 + seq * 7919).slice(0, 8)}`,
            post: "safety_manager",
            hire_date: p.cert === "none" ? addDays(today, -20) : `20${10 + (seq % 12)}-0${1 + (seq % 9)}-01`,
          })
          .executeTakeFirstOrThrow();
        const personId = Number(person.insertId);
        if (p.account)
          await trx.updateTable("user").set({ person_id: personId }).where("username", "=", p.account).execute();
        if (p.cert === "none") continue;
        // cert: days until the certificate's last valid day (or one that lapsed 15 days ago).
        const lastDay = p.cert === "expired" ? addDays(today, -15) : addDays(today, p.cert);
        // Walk back from the wanted last day to the first valid day the kind's rule gives it.
        let validFrom = addDays(lastDay, -(rule.validity_months * 30));
        while (certDatesFor(rule, validFrom).expires_on < lastDay) validFrom = addDays(validFrom, 1);
        while (certDatesFor(rule, validFrom).expires_on > lastDay) validFrom = addDays(validFrom, -1);
        const dates = certDatesFor(rule, validFrom);
        await trx
          .insertInto("certificate")
          .values({
            person_id: personId,
            enterprise_id: unitId,
            region_path: region.path,
            kind: "law_enforcement",
            category: null,
            item: null,
            number: `ZF${region.code ?? "339900"}${String(seq).padStart(6, "0")}`,
            authority: "安澜市人民政府",
            first_issued_on: validFrom,
            valid_from: validFrom,
            expires_on: dates.expires_on,
            review_due_on: dates.review_due_on,
            valid_until:
              dates.review_due_on && dates.review_due_on < dates.expires_on ? dates.review_due_on : dates.expires_on,
          })
          .execute();
      }
    }
  });
}
