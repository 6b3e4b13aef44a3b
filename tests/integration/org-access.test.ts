import { describe, expect, it } from "vitest";
import { db } from "../../app/lib/db.server";
import { loader as peopleList } from "../../app/routes/people._index";
import { action as personAction, loader as personLoader } from "../../app/routes/people.$id";
import { action as newPersonAction } from "../../app/routes/people.new";
import { loader as enterpriseLoader } from "../../app/routes/enterprises.$id";
import { loader as enterpriseList } from "../../app/routes/enterprises._index";
import { action as accountAction } from "../../app/routes/accounts.$id";
import { action as newAccountAction } from "../../app/routes/accounts.new";
import { loader as auditLoader } from "../../app/routes/audit";
import { makeIdNumber } from "../../db/seed/identifiers";
import { cookieOf, personIdsOf, request, run, thrownMessage } from "../support/actors";

const A = "安澜宏达化工有限公司"; // 滨江区: officer, worker, inspector
const B = "安澜金属制品有限公司"; // 临港区: officer2
const Q = "青山矿业有限公司"; // 青山县: inspector2

const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });

describe("enterprise officers stay inside their enterprise", () => {
  it("officer of A reads people of A but is refused each person of B (403, Chinese reason)", async () => {
    const cookie = await cookieOf("officer");
    const [a] = await personIdsOf(A);
    const [b] = await personIdsOf(B);
    expect((await run(() => personLoader(args(request(`/people/${a.id}`, cookie), { id: String(a.id) })))).status).toBe(
      200,
    );
    const refused = await run(() => personLoader(args(request(`/people/${b.id}`, cookie), { id: String(b.id) })));
    expect(refused.status).toBe(403);
    expect(thrownMessage(refused)).toContain("不属于您所在的企业");
  });

  it("officer of A cannot change, deactivate or add people of B, and nothing of B changes", async () => {
    const cookie = await cookieOf("officer");
    const [b] = await personIdsOf(B);
    const before = await db.selectFrom("person").selectAll().where("id", "=", b.id).executeTakeFirstOrThrow();
    const edit = await run(() =>
      personAction(
        args(request(`/people/${b.id}`, cookie, { intent: "save", name: "改名", post: "worker" }), {
          id: String(b.id),
        }),
      ),
    );
    expect(edit.status).toBe(403);
    const off = await run(() =>
      personAction(args(request(`/people/${b.id}`, cookie, { intent: "deactivate" }), { id: String(b.id) })),
    );
    expect(off.status).toBe(403);
    const add = await run(() =>
      newPersonAction(
        args(
          request("/people/new", cookie, {
            enterpriseId: String(b.enterprise_id),
            name: "外人",
            idNumber: makeIdNumber("339902", "1990-01-01", 7),
            post: "worker",
          }),
        ),
      ),
    );
    expect(add.status).toBe(403);
    expect(await db.selectFrom("person").selectAll().where("id", "=", b.id).executeTakeFirstOrThrow()).toEqual(before);
  });

  it("the people list of officer A holds only A's people, whatever the filters say", async () => {
    const cookie = await cookieOf("officer");
    const [b] = await personIdsOf(B);
    const res = await run(() => peopleList(args(request(`/people?enterpriseId=${b.enterprise_id}`, cookie))));
    expect(res.data.rows).toEqual([]);
    const own = await run(() => peopleList(args(request("/people", cookie))));
    expect(own.data.rows.length).toBeGreaterThan(0);
    expect(new Set(own.data.rows.map((r: { enterprise_name: string }) => r.enterprise_name))).toEqual(new Set([A]));
  });

  it("officer edits a person of A, with the change audited before/after and bad input answered 422", async () => {
    const cookie = await cookieOf("officer");
    const person = (await personIdsOf(A)).find((p) => p.post === "worker")!;
    const bad = await run(() =>
      personAction(
        args(request(`/people/${person.id}`, cookie, { intent: "save", name: "", post: "driver", phone: "12" }), {
          id: String(person.id),
        }),
      ),
    );
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.data.fieldErrors).sort()).toEqual(["name", "phone", "post"]);
    const ok = await run(() =>
      personAction(
        args(
          request(`/people/${person.id}`, cookie, {
            intent: "save",
            name: "赵新名",
            post: "special_operator",
            phone: "13900001111",
          }),
          { id: String(person.id) },
        ),
      ),
    );
    expect(ok.status).toBe(302);
    const row = await db
      .selectFrom("person")
      .select(["name", "post"])
      .where("id", "=", person.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name: "赵新名", post: "special_operator" });
    const audit = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("entity_type", "=", "person")
      .where("entity_id", "=", String(person.id))
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toMatchObject({ name: "赵新名" });
    expect(audit.before_json).not.toContain("id_number_hash");
  });

  it("a worker sees only their own record", async () => {
    const cookie = await cookieOf("worker");
    const people = await personIdsOf(A);
    const list = await run(() => peopleList(args(request("/people", cookie))));
    expect(list.data.rows).toHaveLength(1);
    const other = people.find((p) => p.id !== list.data.rows[0].id)!;
    expect(
      (await run(() => personLoader(args(request(`/people/${other.id}`, cookie), { id: String(other.id) })))).status,
    ).toBe(403);
  });
});

describe("inspectors and regulators stay inside their region", () => {
  it("an inspector of 滨江区 is refused an enterprise in 青山县, and 青山县's inspector is refused 滨江区", async () => {
    const [a] = await personIdsOf(A);
    const [q] = await personIdsOf(Q);
    const inspector = await cookieOf("inspector");
    expect(
      (
        await run(() =>
          enterpriseLoader(
            args(request(`/enterprises/${a.enterprise_id}`, inspector), { id: String(a.enterprise_id) }),
          ),
        )
      ).status,
    ).toBe(200);
    const refused = await run(() =>
      enterpriseLoader(args(request(`/enterprises/${q.enterprise_id}`, inspector), { id: String(q.enterprise_id) })),
    );
    expect(refused.status).toBe(403);
    expect(thrownMessage(refused)).toContain("不在您的辖区内");
    const inspector2 = await cookieOf("inspector2");
    expect(
      (
        await run(() =>
          enterpriseLoader(
            args(request(`/enterprises/${a.enterprise_id}`, inspector2), { id: String(a.enterprise_id) }),
          ),
        )
      ).status,
    ).toBe(403);
    expect(
      (await run(() => personLoader(args(request(`/people/${a.id}`, inspector2), { id: String(a.id) })))).status,
    ).toBe(403);
  });

  it("an inspector's enterprise list holds only the region's enterprises", async () => {
    const cookie = await cookieOf("inspector");
    const res = await run(() => enterpriseList(args(request("/enterprises", cookie))));
    const names = res.data.rows.map((r: { region_name: string }) => r.region_name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n: string) => ["江南街道", "长河街道", "浦沿街道"].includes(n))).toBe(true);
  });

  it("the city regulator reads everything in the city but changes nothing", async () => {
    const cookie = await cookieOf("regulator");
    const [q] = await personIdsOf(Q);
    expect((await run(() => personLoader(args(request(`/people/${q.id}`, cookie), { id: String(q.id) })))).status).toBe(
      200,
    );
    expect(
      (
        await run(() =>
          personAction(args(request(`/people/${q.id}`, cookie, { intent: "deactivate" }), { id: String(q.id) })),
        )
      ).status,
    ).toBe(403);
  });
});

describe("accounts and the audit log", () => {
  it("an officer cannot promote a worker account to officer, nor touch accounts of another enterprise", async () => {
    const cookie = await cookieOf("officer");
    const worker = await db.selectFrom("user").selectAll().where("username", "=", "worker").executeTakeFirstOrThrow();
    const promote = await run(() =>
      accountAction(
        args(
          request(`/accounts/${worker.id}`, cookie, {
            intent: "save",
            displayName: "x",
            role: "enterprise_officer",
            enterpriseId: String(worker.enterprise_id),
          }),
          { id: worker.id },
        ),
      ),
    );
    expect(promote.status).toBe(403);
    const officer2 = await db
      .selectFrom("user")
      .selectAll()
      .where("username", "=", "officer2")
      .executeTakeFirstOrThrow();
    expect(
      (
        await run(() =>
          accountAction(
            args(request(`/accounts/${officer2.id}`, cookie, { intent: "deactivate" }), { id: officer2.id }),
          ),
        )
      ).status,
    ).toBe(403);
    expect(
      (await db.selectFrom("user").select("role").where("id", "=", worker.id).executeTakeFirstOrThrow()).role,
    ).toBe("worker");
  });

  it("an admin's role change is recorded with who, what, before and after, and ends the user's sessions", async () => {
    const admin = await cookieOf("admin");
    const target = await cookieOf("officer2");
    const u = await db.selectFrom("user").selectAll().where("username", "=", "officer2").executeTakeFirstOrThrow();
    const region = await db.selectFrom("region").select("id").where("name", "=", "临港区").executeTakeFirstOrThrow();
    const res = await run(() =>
      accountAction(
        args(
          request(`/accounts/${u.id}`, admin, {
            intent: "save",
            displayName: "临港区监管",
            role: "regulator",
            regionId: String(region.id),
          }),
          { id: u.id },
        ),
      ),
    );
    expect(res.status).toBe(302);
    const entry = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "account.role_changed")
      .where("entity_id", "=", u.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(entry.before_json!)).toMatchObject({
      role: "enterprise_officer",
      enterprise_id: u.enterprise_id,
    });
    expect(JSON.parse(entry.after_json!)).toMatchObject({
      role: "regulator",
      region_id: region.id,
      enterprise_id: null,
    });
    const adminId = (await db.selectFrom("user").select("id").where("username", "=", "admin").executeTakeFirstOrThrow())
      .id;
    expect(entry.actor_user_id).toBe(adminId);
    const { getActor } = await import("../../app/modules/auth/session.server");
    expect(await getActor(new Request("http://localhost/", { headers: { cookie: target } }))).toBeNull();

    const log = await run(() => auditLoader(args(request("/audit", admin))));
    expect(log.data.rows.some((r: { action: string }) => r.action === "account.role_changed")).toBe(true);
    const officer = await cookieOf("officer");
    expect(await run(() => auditLoader(args(request("/audit", officer))))).toMatchObject({ status: 403 });
  });

  it("account creation checks its input and refuses a taken user name", async () => {
    const admin = await cookieOf("admin");
    const bad = await run(() =>
      newAccountAction(
        args(request("/accounts/new", admin, { username: "a b", displayName: "", role: "inspector", password: "x" })),
      ),
    );
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.data.fieldErrors).sort()).toEqual(["displayName", "password", "regionId", "username"]);
    const taken = await run(() =>
      newAccountAction(
        args(
          request("/accounts/new", admin, {
            username: "worker",
            displayName: "重复",
            role: "admin",
            password: "Password123",
          }),
        ),
      ),
    );
    expect(taken.status).toBe(422);
    expect(taken.data.fieldErrors.username).toBe("该用户名已被使用");
  });
});
