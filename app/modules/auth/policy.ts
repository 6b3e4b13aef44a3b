import type { Role } from "../../../db/types";

/** Who is asking: the logged-in user with the scope their role works in. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  enterpriseId: number | null;
  /** Region a regulator or inspector works in, as a materialized path ("/1/4/"). */
  regionPath: string | null;
  personId: number | null;
}

export type Resource =
  | { type: "region"; path: string }
  | { type: "enterprise"; id: number; regionPath: string }
  | { type: "person"; id: number; enterpriseId: number; regionPath: string }
  | { type: "account"; role: Role; enterpriseId: number | null }
  /** Training of an enterprise (assignments, hours ledger), or of one person in it when personId is set. */
  | { type: "training"; enterpriseId: number; regionPath: string; personId?: number }
  /** An exam or quiz attempt: only its person answers it; results are read like training records. */
  | { type: "attempt"; personId: number | null; enterpriseId?: number; regionPath?: string }
  /** A question bank (with its answers): owner 0 is the shared bank, otherwise an enterprise's own. */
  | { type: "question_bank"; owner: number }
  /** Course content: every logged-in user may read it. */
  | { type: "course" }
  | { type: "audit_log" }
  | { type: "reference_data" };

export type Action = "view" | "create" | "update" | "deactivate" | "import" | "inspect";

const inSubtree = (path: string, root: string | null) => root !== null && path.startsWith(root);

/**
 * The one authorization policy. Roles (DESIGN.md): worker sees own data; enterprise officer runs own enterprise;
 * inspector inspects enterprises in their region subtree; regulator reads their region subtree; admin does all.
 */
export function can(actor: Actor, action: Action, resource: Resource): boolean {
  if (actor.role === "admin") return true;
  const regional = actor.role === "regulator" || actor.role === "inspector";

  switch (resource.type) {
    case "region":
      return action === "view" && regional && inSubtree(resource.path, actor.regionPath);
    case "enterprise":
      if (regional && inSubtree(resource.regionPath, actor.regionPath)) {
        return action === "view" || (action === "inspect" && actor.role === "inspector");
      }
      return action === "view" && actor.enterpriseId === resource.id;
    case "person":
      if (regional) return action === "view" && inSubtree(resource.regionPath, actor.regionPath);
      if (actor.role === "enterprise_officer") return actor.enterpriseId === resource.enterpriseId && action !== "inspect";
      return action === "view" && actor.personId === resource.id;
    case "account":
      // Officers manage the worker accounts of their own enterprise; everything else is the admin's.
      return actor.role === "enterprise_officer" && resource.role === "worker" && resource.enterpriseId === actor.enterpriseId
        && action !== "inspect" && action !== "import";
    case "training":
      if (regional) return action === "view" && inSubtree(resource.regionPath, actor.regionPath);
      if (actor.role === "enterprise_officer") return actor.enterpriseId === resource.enterpriseId && action !== "inspect";
      return action === "view" && resource.personId !== undefined && resource.personId === actor.personId;
    case "attempt":
      if (action === "update") return resource.personId !== null && resource.personId === actor.personId;
      if (action !== "view") return false;
      if (resource.personId !== null && resource.personId === actor.personId) return true;
      if (resource.enterpriseId === undefined || resource.regionPath === undefined) return false;
      return can(actor, "view", { type: "training", enterpriseId: resource.enterpriseId, regionPath: resource.regionPath });
    case "question_bank":
      // The bank holds the answers: never for workers. Staff read the shared bank; officers keep their own.
      if (actor.role === "worker") return false;
      if (resource.owner === 0) return action === "view";
      return actor.role === "enterprise_officer" && actor.enterpriseId === resource.owner && action !== "inspect";
    case "course":
      return action === "view";
    case "audit_log":
    case "reference_data":
      return false;
  }
}

/** The rows a list may show this actor, applied by each module's list queries. */
export type Scope =
  | { kind: "all" }
  | { kind: "region"; path: string }
  | { kind: "enterprise"; enterpriseId: number }
  | { kind: "person"; personId: number }
  | { kind: "none" };

export function listScope(actor: Actor): Scope {
  switch (actor.role) {
    case "admin":
      return { kind: "all" };
    case "regulator":
    case "inspector":
      return actor.regionPath ? { kind: "region", path: actor.regionPath } : { kind: "none" };
    case "enterprise_officer":
      return actor.enterpriseId ? { kind: "enterprise", enterpriseId: actor.enterpriseId } : { kind: "none" };
    case "worker":
      return actor.personId ? { kind: "person", personId: actor.personId } : { kind: "none" };
  }
}

/** Chinese reason shown on the 403 page. */
export function refusalMessage(actor: Actor, resource: Resource): string {
  switch (resource.type) {
    case "enterprise":
    case "person":
      if (actor.role === "regulator" || actor.role === "inspector") return "该企业不在您的辖区内，您无权查看或操作。";
      if (actor.role === "enterprise_officer") return "该人员或企业不属于您所在的企业，您无权查看或操作。";
      return "您只能查看本人的信息。";
    case "account":
      return "您只能管理本企业从业人员的账号。";
    case "audit_log":
      return "只有系统管理员可以查看审计日志。";
    case "reference_data":
      return "只有系统管理员可以维护区域、行业等基础数据。";
    case "region":
      return "该区域不在您的辖区内。";
    case "training":
      if (actor.role === "regulator" || actor.role === "inspector") return "该企业不在您的辖区内，您无权查看其培训情况。";
      if (actor.role === "enterprise_officer") return "您只能管理本企业的培训。";
      return "您只能查看本人的培训记录。";
    case "attempt":
      return "这不是您的答卷，您无权查看或作答。";
    case "question_bank":
      return actor.role === "worker" ? "题库包含答案，从业人员不能查看。" : "您只能修改本企业自建的题目，通用题库由系统管理员维护。";
    case "course":
      return "您无权进行此操作。";
  }
}
