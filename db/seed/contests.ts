import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../types";
import type { PaperRule } from "../../app/modules/exams/draw";
import { drawPaper, cryptoRandom } from "../../app/modules/exams/draw.server";
import { permutation, seededRandom } from "../../app/modules/exams/draw";
import { addDays, dayOf, fromLocalInput } from "../../app/lib/calendar";
import { contestRules, finishEntry, phoneHash } from "../../app/modules/contests/contests.server";
import { maskPhone } from "../../app/modules/contests/rules";

/**
 * Demo data of the contests branch: a city-wide knowledge contest with a few dozen finished entries (answered
 * through the same finishing code as real ones), an exam site with two rooms, a national special-operation theory
 * template (120 minutes, 80 to pass, random papers) and two sessions proctored by `inspector`.
 */
export async function seedContestsAndSites(db: Kysely<Database>, today: string) {
  const city = await db
    .selectFrom("region")
    .select(["id", "path"])
    .where("parent_id", "is", null)
    .orderBy("id")
    .executeTakeFirstOrThrow();
  const districts = await db
    .selectFrom("region")
    .select(["id", "name", "path"])
    .where("parent_id", "=", city.id)
    .orderBy("id")
    .execute();
  const users = new Map(
    (await db.selectFrom("user").select(["id", "username"]).execute()).map((u) => [u.username, u.id]),
  );
  const regulator = users.get("regulator")!;
  const inspector = users.get("inspector")!;

  // --- contest
  const rules = contestRules({ single: 6, multiple: 2, judge: 2 });
  const startsAt = fromLocalInput(`${addDays(today, -3)}T08:00`)!;
  const res = await db
    .insertInto("contest")
    .values({
      title: "2026 年安澜市“安全生产月”知识竞赛",
      region_id: city.id,
      region_path: city.path,
      token: "demo-contest-anlan-2026",
      starts_at: startsAt,
      ends_at: fromLocalInput(`${addDays(today, 14)}T20:00`)!,
      mode: "daily",
      rules: JSON.stringify(rules),
      question_seconds: 20,
      attempts_per_day: 1,
      person_limit: 14,
      eligibility: "phone",
      created_by: regulator,
    })
    .executeTakeFirstOrThrow();
  const contest = { id: Number(res.insertId), question_seconds: 20 };
  const people = await db
    .selectFrom("person")
    .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
    .select([
      "person.id",
      "person.name",
      "person.enterprise_id",
      "person.id_number_hash",
      "person.id_number_masked",
      "enterprise.region_path",
    ])
    .where("person.post", "=", "worker")
    .orderBy("person.id")
    .limit(36)
    .execute();
  const random = seededRandom(2026);
  for (const [i, p] of people.entries()) {
    const district = districts.find((d) => p.region_path.startsWith(d.path));
    // Most join with their ID number (matched to the roster), a few as phone-only members of the public.
    const phone = i % 6 === 5 ? `139${String(10000000 + i * 7919).slice(0, 8)}` : null;
    const pr = await db
      .insertInto("contest_participant")
      .values({
        contest_id: contest.id,
        ident_hash: phone ? phoneHash(phone) : `id:${p.id_number_hash}`.slice(0, 64),
        ident_masked: phone ? maskPhone(phone) : p.id_number_masked,
        name: p.name,
        person_id: phone ? null : p.id,
        enterprise_id: phone ? null : p.enterprise_id,
        group_region_id: district?.id ?? null,
        user_id: null,
        secret_hash: randomBytes(32).toString("hex"),
      })
      .executeTakeFirstOrThrow();
    const participantId = Number(pr.insertId);
    const drawn = await drawPaper(
      rules as PaperRule[],
      { post: "worker", industry: "ALL", enterpriseId: 0 },
      cryptoRandom,
      db,
    );
    const versions = new Map(
      (
        await db
          .selectFrom("question_version")
          .select(["id", "answer"])
          .where(
            "id",
            "in",
            drawn.map((d) => d.versionId),
          )
          .execute()
      ).map((v) => [v.id, v.answer]),
    );
    const day = addDays(today, -1 - (i % 3));
    const started = fromLocalInput(
      `${day}T${String(9 + (i % 10)).padStart(2, "0")}:${String((i * 7) % 60).padStart(2, "0")}`,
    )!;
    await db.transaction().execute(async (trx) => {
      const e = await trx
        .insertInto("contest_entry")
        .values({
          contest_id: contest.id,
          participant_id: participantId,
          day: dayOf(started),
          open_key: participantId,
          started_at: started,
          question_count: drawn.length,
        })
        .executeTakeFirstOrThrow();
      const entryId = Number(e.insertId);
      let t = started.getTime();
      await trx
        .insertInto("contest_item")
        .values(
          drawn.map((d, k) => {
            const right = random() < 0.55 + (i % 5) * 0.1;
            const elapsed = Math.round(3000 + random() * 12000);
            const served = new Date(t);
            t += elapsed + 1500;
            const correct = versions.get(d.versionId)!;
            const wrong = d.type === "judge" ? (correct === "true" ? "false" : "true") : correct === "A" ? "B" : "A";
            return {
              entry_id: entryId,
              position: k + 1,
              question_id: d.questionId,
              question_version_id: d.versionId,
              option_order: d.type === "judge" ? "" : permutation(d.optionCount, random).join(""),
              points: d.points,
              served_at: served,
              answered_at: new Date(served.getTime() + elapsed),
              answer: right ? correct : wrong,
              earned: right ? d.points : 0,
              elapsed_ms: elapsed,
            };
          }),
        )
        .execute();
      await trx.updateTable("contest_participant").set({ entries: 1 }).where("id", "=", participantId).execute();
      await finishEntry(trx, contest, entryId, participantId);
      await trx
        .updateTable("contest_entry")
        .set({ finished_at: new Date(t) })
        .where("id", "=", entryId)
        .execute();
    });
  }

  // --- exam site, rooms, seats
  const binjiang = districts[0];
  const site = Number(
    (
      await db
        .insertInto("exam_site")
        .values({
          name: "安澜市安全技能考试中心（滨江考点）",
          address: "滨江区江滨路 88 号 3 楼",
          region_id: binjiang.id,
          region_path: binjiang.path,
        })
        .executeTakeFirstOrThrow()
    ).insertId,
  );
  const room1 = Number(
    (
      await db
        .insertInto("exam_room")
        .values({ site_id: site, name: "第一考场（机考）", camera: 1 })
        .executeTakeFirstOrThrow()
    ).insertId,
  );
  const room2 = Number(
    (
      await db
        .insertInto("exam_room")
        .values({ site_id: site, name: "第二考场（机考）", camera: 0 })
        .executeTakeFirstOrThrow()
    ).insertId,
  );
  await db
    .insertInto("exam_seat")
    .values(Array.from({ length: 16 }, (_, i) => ({ room_id: room1, label: `A${String(i + 1).padStart(2, "0")}` })))
    .execute();
  await db
    .insertInto("exam_seat")
    .values(Array.from({ length: 8 }, (_, i) => ({ room_id: room2, label: `B${String(i + 1).padStart(2, "0")}` })))
    .execute();
  const theory = (type: PaperRule["type"], count: number, points: number): PaperRule => ({
    type,
    count,
    topic: null,
    minDifficulty: 1,
    maxDifficulty: 5,
    post: "any",
    industry: "any",
    points,
    excludeFlagged: true,
  });
  const template = Number(
    (
      await db
        .insertInto("exam_template")
        .values({
          name: "特种作业操作证理论考试（机考·随机组卷）",
          rules: JSON.stringify([theory("judge", 40, 1), theory("single", 40, 1), theory("multiple", 10, 2)]),
          time_limit_minutes: 120,
          pass_mark: 80,
          attempts_allowed: 1,
          shuffle_options: 1,
          show_answers: "never",
          multiple_scoring: "all_or_nothing",
          purpose: "exam",
          created_by: "system",
          enterprise_id: null,
          active: 0,
        })
        .executeTakeFirstOrThrow()
    ).insertId,
  );
  const first = await db.selectFrom("person").select(["id", "enterprise_id"]).orderBy("id").limit(12).execute();
  const session = async (room: number, title: string, at: string, roster: number[]) => {
    const id = Number(
      (
        await db
          .insertInto("exam_session")
          .values({
            site_id: site,
            room_id: room,
            template_id: template,
            title,
            region_path: binjiang.path,
            scheduled_at: fromLocalInput(at)!,
            minutes: 120,
            created_by: regulator,
          })
          .executeTakeFirstOrThrow()
      ).insertId,
    );
    await db.insertInto("exam_session_proctor").values({ session_id: id, user_id: inspector }).execute();
    await db
      .insertInto("exam_roster")
      .values(roster.map((person_id) => ({ session_id: id, person_id })))
      .execute();
    return id;
  };
  await session(
    room1,
    "特种作业（电工作业）理论考试 第 1 场",
    `${today}T09:00`,
    first.slice(0, 8).map((p) => p.id),
  );
  await session(
    room2,
    "特种作业（焊接与热切割作业）理论考试 第 2 场",
    `${addDays(today, 1)}T14:00`,
    first.slice(8, 12).map((p) => p.id),
  );
}
