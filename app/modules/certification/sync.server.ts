import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { sql } from "kysely";
import { formatInstant } from "../../lib/calendar";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";
import { refuse, type Refusal } from "../../lib/result";
import { workbookBuffer } from "../../lib/excel.server";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../auth/policy";
import { hashIdNumber } from "../org/id-hash.server";
import { KIND_LABELS } from "./rules";
import { refreshEnterprise } from "./summary.server";
import { certSource, type CertSource } from "./sync-source.server";
import {
  certificateValues,
  checkRow,
  decideRow,
  ISSUE_LABELS,
  type Candidate,
  type CheckedRow,
  type Existing,
  type IssueKind,
  type RowIssue,
} from "./sync-rules";

/** Rows committed in one transaction (with the job's progress). */
export const CHUNK_ROWS = 1000;
/** Enterprises recounted per step of the summaries phase. */
const SUMMARY_STEP = 50;
const LEASE_MS = 120_000;
/**
 * After each chunk of rows the job rests this many times as long as the chunk took, so that it takes at most about
 * half of the process and of the database while other people use the site (its row phase doubles in length instead).
 */
const ROW_PAUSE_RATIO = Number(process.env.CERT_SYNC_PAUSE_RATIO ?? 1.5);
/** Largest file a regulator may upload for a sync (a million rows of CSV is about 150 MB). */
export const MAX_SYNC_BYTES = Number(process.env.CERT_SYNC_MAX_BYTES ?? 2 * 1024 * 1024 * 1024);
export const syncDirectory = () => resolve(process.env.ANXUN_DATA_DIR ?? ".data", "cert-sync");

export type SyncSourceKind = "csv" | "xlsx";

/** The source kind of an uploaded file by its first bytes (a zip is an .xlsx; anything else is read as CSV text). */
export function sourceKindOf(head: Uint8Array): SyncSourceKind {
  return head[0] === 0x50 && head[1] === 0x4b ? "xlsx" : "csv";
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Queue a sync of a region's certificates from a file already on disk (the upload handler streamed it there). The
 * header is checked first; a bad file is removed and the problem returned. The file moves under the data directory.
 */
export async function createSyncJob(
  actor: Actor,
  region: { id: number; path: string },
  upload: { path: string; name: string; bytes: number; kind: SyncSourceKind },
  ip: string,
): Promise<{ ok: true; id: number } | Refusal> {
  const header = await certSource(upload.kind, upload.path)
    .header()
    .catch(() => ({ ok: false as const, message: "无法读取该文件：请上传 .xlsx 或 .csv 文件。" }));
  if (!header.ok) {
    await rm(upload.path, { force: true });
    return refuse(422, header.message);
  }
  const dir = syncDirectory();
  await mkdir(dir, { recursive: true });
  const stored = join(dir, `${randomUUID()}.${upload.kind}`);
  await rename(upload.path, stored);
  const sha = await sha256Of(stored);
  const id = await db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto("cert_sync_job")
      .values({
        region_id: region.id,
        region_path: region.path,
        source: upload.kind,
        file_name: upload.name.slice(0, 255),
        file_path: stored,
        file_bytes: upload.bytes,
        file_sha256: sha,
        created_by: actor.userId,
      })
      .executeTakeFirstOrThrow();
    const jobId = Number(r.insertId);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "certificate.sync_queued",
      entityType: "cert_sync_job",
      entityId: jobId,
      after: { regionId: region.id, file: upload.name, bytes: upload.bytes, sha256: sha },
      ip,
    });
    return jobId;
  });
  return { ok: true, id };
}

type Job = Awaited<ReturnType<typeof jobById>>;
async function jobById(id: number) {
  return db.selectFrom("cert_sync_job").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

/** A job that may be run by `owner` now: queued or running with a lapsed lease (or its own), claimed by compare-and-set. */
async function claimJob(owner: string, onlyId?: number): Promise<Job | null> {
  const at = now();
  let q = db
    .selectFrom("cert_sync_job")
    .select("id")
    .where("status", "in", ["queued", "running"])
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", at), eb("lease_owner", "=", owner)]))
    .orderBy("id")
    .limit(1);
  if (onlyId) q = q.where("id", "=", onlyId);
  const candidate = await q.executeTakeFirst();
  if (!candidate) return null;
  const claimed = await db
    .updateTable("cert_sync_job")
    .set({
      lease_owner: owner,
      lease_until: new Date(at.getTime() + LEASE_MS),
      status: "running",
      started_at: sql`COALESCE(started_at, ${at})`,
    })
    .where("id", "=", candidate.id)
    .where("status", "in", ["queued", "running"])
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", at), eb("lease_owner", "=", owner)]))
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1 ? jobById(candidate.id) : null;
}

/** Readers kept open between slices of the same process, so a job does not re-read its file from the start each time. */
const readers = new Map<
  number,
  { owner: string; next: number; iterator: AsyncGenerator<import("./sync-rules").SyncRow> }
>();

async function takeRows(job: Job, owner: string, max: number) {
  let r = readers.get(job.id);
  if (!r || r.owner !== owner || r.next !== job.rows_done) {
    await r?.iterator.return(undefined);
    const source: CertSource = certSource(job.source, job.file_path);
    r = { owner, next: job.rows_done, iterator: source.rows(job.rows_done) };
    readers.set(job.id, r);
  }
  const rows = [];
  while (rows.length < max) {
    const n = await r.iterator.next();
    if (n.done) break;
    rows.push(n.value);
  }
  r.next += rows.length;
  return { rows, done: rows.length < max };
}

function closeReader(jobId: number) {
  const r = readers.get(jobId);
  readers.delete(jobId);
  void r?.iterator.return(undefined);
}

class LostLease extends Error {}

/**
 * Process one chunk of a job's rows: check, match by ID-number hash within the job's region, decide, and commit the
 * certificates, the issues and the job's progress in one transaction. Returns false when the rows are all done.
 */
async function processChunk(job: Job, owner: string): Promise<boolean> {
  const { rows, done } = await takeRows(job, owner, CHUNK_ROWS);
  const today = now();
  const issues: RowIssue[] = [];
  const checked: CheckedRow[] = [];
  for (const r of rows) {
    const c = checkRow(r, today);
    if (c.ok) checked.push(c.row);
    else issues.push(c.issue);
  }
  const hashes = [...new Set(checked.map((c) => hashIdNumber(c.idNumber)))];
  const people = hashes.length
    ? await db
        .selectFrom("person")
        .innerJoin("enterprise", "enterprise.id", "person.enterprise_id")
        .select(["person.id", "person.name", "person.enterprise_id", "person.id_number_hash", "enterprise.region_path"])
        .where("person.id_number_hash", "in", hashes)
        .where("person.active", "=", 1)
        .where("enterprise.region_path", "like", `${job.region_path}%`)
        .execute()
    : [];
  const byHash = new Map<string, Candidate[]>();
  for (const p of people)
    byHash.set(p.id_number_hash, [
      ...(byHash.get(p.id_number_hash) ?? []),
      { id: p.id, name: p.name, enterpriseId: p.enterprise_id, regionPath: p.region_path },
    ]);

  let inserted = 0,
    updated = 0,
    unchanged = 0;
  const touched = new Set<number>();
  const writes: { row: CheckedRow; decision: ReturnType<typeof decideRow> }[] = [];
  await db.transaction().execute(async (trx) => {
    inserted = updated = unchanged = 0;
    touched.clear();
    writes.length = 0;
    const current = await trx
      .selectFrom("cert_sync_job")
      .select(["rows_done", "lease_owner", "status"])
      .where("id", "=", job.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.lease_owner !== owner || current.rows_done !== job.rows_done || current.status !== "running")
      throw new LostLease();
    // Certificates already stored under these kinds and numbers, read inside the transaction and locked.
    const byKind = new Map<string, string[]>();
    for (const c of checked) byKind.set(c.values.kind, [...(byKind.get(c.values.kind) ?? []), c.values.number]);
    const existing = new Map<string, Existing>();
    for (const [kind, numbers] of byKind) {
      const found = await trx
        .selectFrom("certificate")
        .select([
          "id",
          "person_id",
          "enterprise_id",
          "kind",
          "category",
          "item",
          "number",
          "authority",
          "first_issued_on",
          "valid_from",
          "expires_on",
          "review_due_on",
          "last_reviewed_on",
          "revoked_on",
        ])
        .where("kind", "=", kind as Existing["kind"])
        .where("number", "in", numbers)
        .forUpdate()
        .execute();
      for (const f of found) existing.set(`${f.kind}|${f.number}`, f as Existing);
    }
    const seen = new Map<string, number>();
    const inserts: Record<string, unknown>[] = [];
    const chunkIssues = [...issues];
    const before: Record<string, unknown>[] = [];
    for (const c of checked) {
      const key = `${c.values.kind}|${c.values.number}`;
      const candidates = byHash.get(hashIdNumber(c.idNumber)) ?? [];
      if (seen.has(key)) {
        // The same certificate twice in one chunk: the first row decides; a later identical row changes nothing.
        const first = checked.find((x) => x.row === seen.get(key))!;
        if (first.idNumber !== c.idNumber)
          chunkIssues.push({
            row: c.row,
            kind: "conflict",
            name: c.name,
            masked: c.masked,
            certKind: c.values.kind,
            certNumber: c.values.number,
            column: "证书编号",
            reason: `与第 ${seen.get(key)} 行的证书编号相同而持证人不同`,
          });
        else unchanged++;
        continue;
      }
      seen.set(key, c.row);
      const d = decideRow(c, candidates, existing.get(key));
      writes.push({ row: c, decision: d });
      if (d.action === "issue") chunkIssues.push(d.issue);
      else if (d.action === "unchanged") unchanged++;
      else if (d.action === "insert") {
        inserts.push({
          ...certificateValues(c.values, null),
          person_id: d.person.id,
          enterprise_id: d.person.enterpriseId,
          region_path: d.person.regionPath,
        });
        touched.add(d.person.enterpriseId);
        inserted++;
      } else {
        const values = certificateValues(c.values, d.existing.revoked_on);
        before.push({
          id: d.existing.id,
          number: d.existing.number,
          expires_on: d.existing.expires_on,
          review_due_on: d.existing.review_due_on,
          last_reviewed_on: d.existing.last_reviewed_on,
        });
        await trx
          .updateTable("certificate")
          .set({
            category: values.category,
            item: values.item,
            authority: values.authority,
            first_issued_on: values.first_issued_on,
            valid_from: values.valid_from,
            expires_on: values.expires_on,
            review_due_on: values.review_due_on,
            last_reviewed_on: values.last_reviewed_on,
            valid_until: values.valid_until,
          })
          .where("id", "=", d.existing.id)
          .execute();
        touched.add(d.existing.enterprise_id);
        updated++;
      }
    }
    if (inserts.length)
      await trx
        .insertInto("certificate")
        .values(inserts as never)
        .execute();
    if (chunkIssues.length) {
      chunkIssues.sort((a, b) => a.row - b.row); // ids follow the file's rows, so the report reads in file order
      await trx
        .insertInto("cert_sync_issue")
        .ignore()
        .values(
          chunkIssues.map((i) => ({
            job_id: job.id,
            row_no: i.row,
            kind: i.kind,
            name: i.name?.slice(0, 100) ?? null,
            id_number_masked: i.masked?.slice(0, 32) ?? null,
            cert_kind: i.certKind?.slice(0, 64) ?? null,
            cert_number: i.certNumber?.slice(0, 64) ?? null,
            column_name: i.column?.slice(0, 32) ?? null,
            reason: i.reason.slice(0, 500),
            enterprise_ids: i.enterpriseIds?.join(",").slice(0, 255) ?? null,
          })),
        )
        .execute();
    }
    if (touched.size)
      await trx
        .insertInto("cert_sync_touched")
        .ignore()
        .values([...touched].map((e) => ({ job_id: job.id, enterprise_id: e })))
        .execute();
    const count = (k: RowIssue["kind"]) => chunkIssues.filter((i) => i.kind === k).length;
    await trx
      .updateTable("cert_sync_job")
      .set({
        rows_done: job.rows_done + rows.length,
        inserted: sql`inserted + ${inserted}`,
        updated: sql`updated + ${updated}`,
        unchanged: sql`unchanged + ${unchanged}`,
        unmatched: sql`unmatched + ${count("unmatched")}`,
        conflicts: sql`conflicts + ${count("conflict")}`,
        invalid: sql`invalid + ${count("invalid")}`,
        lease_until: new Date(now().getTime() + LEASE_MS),
        ...(done ? { phase: "summaries" as const } : {}),
      })
      .where("id", "=", job.id)
      .execute();
    if (inserted || updated) {
      await recordAudit(trx, {
        actorUserId: job.created_by,
        action: "certificate.synced",
        entityType: "cert_sync_job",
        entityId: job.id,
        before: before.length ? { updated: before } : undefined,
        after: { rows: [job.rows_done + 1, job.rows_done + rows.length], inserted, updated },
        ip: null,
      });
    }
  });
  job.rows_done += rows.length;
  if (done) job.phase = "summaries";
  return !done;
}

/** Recount a step of the touched enterprises (cert_summary_*), then finish the job. */
async function summarizeStep(job: Job, owner: string): Promise<boolean> {
  const batch = await db
    .selectFrom("cert_sync_touched")
    .select("enterprise_id")
    .where("job_id", "=", job.id)
    .where("enterprise_id", ">", job.summary_cursor)
    .orderBy("enterprise_id")
    .limit(SUMMARY_STEP)
    .execute();
  for (const { enterprise_id } of batch) await refreshEnterprise(enterprise_id);
  const last = batch.at(-1)?.enterprise_id ?? job.summary_cursor;
  const finished = batch.length < SUMMARY_STEP;
  await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("cert_sync_job")
      .select(["lease_owner", "summary_cursor"])
      .where("id", "=", job.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.lease_owner !== owner || current.summary_cursor !== job.summary_cursor) throw new LostLease();
    await trx
      .updateTable("cert_sync_job")
      .set({
        summary_cursor: last,
        lease_until: new Date(now().getTime() + LEASE_MS),
        ...(finished ? { status: "done" as const, finished_at: now(), lease_owner: null, lease_until: null } : {}),
      })
      .where("id", "=", job.id)
      .execute();
    if (finished) {
      const j = await trx.selectFrom("cert_sync_job").selectAll().where("id", "=", job.id).executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actorUserId: job.created_by,
        action: "certificate.sync_finished",
        entityType: "cert_sync_job",
        entityId: job.id,
        after: {
          rows: j.rows_done,
          inserted: j.inserted,
          updated: j.updated,
          unchanged: j.unchanged,
          unmatched: j.unmatched,
          conflicts: j.conflicts,
          invalid: j.invalid,
        },
        ip: null,
      });
    }
  });
  job.summary_cursor = last;
  return !finished;
}

export type RunOptions = { owner?: string; budgetMs?: number; maxChunks?: number; jobId?: number };
const processOwner = `${process.pid}-${randomUUID().slice(0, 8)}`;

/**
 * Run sync jobs for up to `budgetMs` (or `maxChunks` chunks): claim one, process its chunks, then its summaries.
 * Several processes may call this at once: a job runs under one lease; a lapsed lease (a process that died) is taken
 * over and the job resumes after its last committed row. Returns the number of chunks and steps done.
 */
export async function runCertSync(opts: RunOptions = {}): Promise<number> {
  const owner = opts.owner ?? processOwner;
  const deadline = Date.now() + (opts.budgetMs ?? 5_000);
  let steps = 0;
  while (Date.now() < deadline && (opts.maxChunks === undefined || steps < opts.maxChunks)) {
    const job = await claimJob(owner, opts.jobId);
    if (!job) break;
    try {
      let more = true;
      while (more && Date.now() < deadline && (opts.maxChunks === undefined || steps < opts.maxChunks)) {
        const started = Date.now();
        const rows = job.phase === "rows";
        more = rows ? (await processChunk(job, owner), true) : await summarizeStep(job, owner);
        steps++;
        const pause = rows ? Math.min(2_000, (Date.now() - started) * ROW_PAUSE_RATIO) : 0;
        await new Promise((r) => (pause > 0 ? setTimeout(r, pause) : setImmediate(r)));
      }
      if (!more) closeReader(job.id);
      else break;
    } catch (e) {
      closeReader(job.id);
      if (e instanceof LostLease) continue;
      console.error("certificate sync failed", e);
      await db
        .updateTable("cert_sync_job")
        .set({
          status: "failed",
          error: String((e as Error).message ?? e).slice(0, 1000),
          lease_owner: null,
          lease_until: null,
          finished_at: now(),
        })
        .where("id", "=", job.id)
        .where("lease_owner", "=", owner)
        .execute();
    }
  }
  return steps;
}

const state = globalThis as unknown as { __anxunCertSync?: NodeJS.Timeout };

/** The sync runner of an app process: slices of work back to back while a job waits, otherwise a look every few seconds. */
export function startCertSyncRunner(idleMs = 5_000) {
  if (state.__anxunCertSync) return;
  const loop = () => {
    runCertSync({ budgetMs: 2_000 })
      .then((steps) => steps)
      .catch((e) => (console.error("certificate sync runner", e), 0))
      .then((steps) => {
        state.__anxunCertSync = setTimeout(loop, steps > 0 ? 20 : idleMs);
        state.__anxunCertSync.unref();
      });
  };
  state.__anxunCertSync = setTimeout(loop, idleMs);
  state.__anxunCertSync.unref();
}

export async function syncJobs(regionPath: string | null, limit = 30) {
  let q = db
    .selectFrom("cert_sync_job")
    .innerJoin("region", "region.id", "cert_sync_job.region_id")
    .leftJoin("user", "user.id", "cert_sync_job.created_by")
    .select([
      "cert_sync_job.id",
      "cert_sync_job.file_name",
      "cert_sync_job.status",
      "cert_sync_job.phase",
      "cert_sync_job.rows_done",
      "cert_sync_job.inserted",
      "cert_sync_job.updated",
      "cert_sync_job.unchanged",
      "cert_sync_job.unmatched",
      "cert_sync_job.conflicts",
      "cert_sync_job.invalid",
      "cert_sync_job.created_at",
      "cert_sync_job.finished_at",
      "region.name as region_name",
      "user.display_name as created_by_name",
    ])
    .orderBy("cert_sync_job.id", "desc")
    .limit(limit);
  if (regionPath) q = q.where("cert_sync_job.region_path", "like", `${regionPath}%`);
  return q.execute();
}

export async function syncJob(id: number) {
  return db
    .selectFrom("cert_sync_job")
    .innerJoin("region", "region.id", "cert_sync_job.region_id")
    .leftJoin("user", "user.id", "cert_sync_job.created_by")
    .select([
      "cert_sync_job.id",
      "cert_sync_job.region_path",
      "cert_sync_job.file_name",
      "cert_sync_job.file_bytes",
      "cert_sync_job.file_sha256",
      "cert_sync_job.status",
      "cert_sync_job.phase",
      "cert_sync_job.rows_done",
      "cert_sync_job.inserted",
      "cert_sync_job.updated",
      "cert_sync_job.unchanged",
      "cert_sync_job.unmatched",
      "cert_sync_job.conflicts",
      "cert_sync_job.invalid",
      "cert_sync_job.error",
      "cert_sync_job.created_at",
      "cert_sync_job.started_at",
      "cert_sync_job.finished_at",
      "region.name as region_name",
      "user.display_name as created_by_name",
    ])
    .where("cert_sync_job.id", "=", id)
    .executeTakeFirst();
}

/** A page of a job's issues (keyset by id), optionally of one kind. */
export async function syncIssues(jobId: number, kind: IssueKind | null, after: number | null, pageSize = 100) {
  let q = db
    .selectFrom("cert_sync_issue")
    .selectAll()
    .where("job_id", "=", jobId)
    .orderBy("id")
    .limit(pageSize + 1);
  if (kind) q = q.where("kind", "=", kind);
  if (after) q = q.where("id", ">", after);
  const rows = await q.execute();
  return { issues: rows.slice(0, pageSize), nextAfter: rows.length > pageSize ? rows[pageSize - 1].id : null };
}

/** Most issue rows one Excel report holds (the page lists them all). */
export const MAX_REPORT_ROWS = 100_000;

/** The issues of a job as a workbook an officer can work through (row, person, certificate, problem, what to do). */
export async function syncIssuesWorkbook(jobId: number) {
  const rows: (string | number | null)[][] = [];
  let after: number | null = null;
  do {
    const page = await syncIssues(jobId, null, after, 5000);
    for (const i of page.issues) {
      rows.push([
        i.row_no,
        ISSUE_LABELS[i.kind],
        i.name,
        i.id_number_masked,
        i.cert_kind ? (KIND_LABELS[i.cert_kind as keyof typeof KIND_LABELS] ?? i.cert_kind) : null,
        i.cert_number,
        i.column_name,
        i.reason,
        i.enterprise_ids,
      ]);
    }
    after = page.nextAfter;
  } while (after !== null && rows.length < MAX_REPORT_ROWS);
  return workbookBuffer(
    "问题清单",
    [
      { header: "文件行号", width: 10 },
      { header: "问题类别", width: 10 },
      { header: "姓名", width: 10 },
      { header: "身份证号码（脱敏）", width: 22 },
      { header: "证书类型", width: 20 },
      { header: "证书编号", width: 22 },
      { header: "列", width: 12 },
      { header: "问题与处理建议", width: 60 },
      { header: "相关企业编号", width: 16 },
    ],
    rows,
    [
      "未匹配：辖区内各企业名册中没有此身份证号码，请核实持证人的任职单位，由其单位登记人员后再次同步。",
      "冲突：姓名与名册不符、证书编号已在他人名下，或此人在多家企业登记，请核实后更正。",
      "数据有误：该行的身份证号码、日期或证书类型等不符合要求，请更正源数据。",
      `生成时间：${formatInstant(now())}`,
    ],
  );
}
