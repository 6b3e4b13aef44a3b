import { ROLE_LABELS } from "../org/labels";
import { navFor } from "./navigation";
import type { Role } from "../../../db/types";
import { mayWriteLog, type DrillRole, type DrillVisibility } from "../drills/rules";
import type { SpotRole, SpotVisibility } from "../rescue/rules";

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
  /** The people of an enterprise as a whole: adding, importing, managing its list (not any one person). */
  | { type: "people"; enterpriseId: number; regionPath: string }
  | { type: "account"; role: Role; enterpriseId: number | null }
  /** Training of an enterprise (assignments, hours ledger), or of one person in it when personId is set. */
  | { type: "training"; enterpriseId: number; regionPath: string; personId?: number }
  /** An exam or quiz attempt: only its person answers it; results are read like training records. */
  | { type: "attempt"; personId: number | null; enterpriseId?: number; regionPath?: string }
  /**
   * An inspection record and its quizzes (names, masked ID numbers, scores, weak topics, the open quiz's join code):
   * inspectors run them, regulators and the enterprise's officer read them; workers see only their own result.
   */
  | { type: "inspection"; enterpriseId: number; regionPath: string }
  /** A question bank (with its answers): owner 0 is the shared bank, otherwise an enterprise's own. */
  | { type: "question_bank"; owner: number }
  /** An exam template: enterpriseId null is a shared one (reference data); otherwise the enterprise's training. */
  | { type: "exam_template"; enterpriseId: number | null; regionPath?: string }
  /** The template list page: for those who keep templates. */
  | { type: "exam_template_list" }
  /** Course content: every logged-in user may read it. */
  | { type: "course" }
  /** The regulation registry 法规库: every logged-in user reads it (questions link their legal basis to it). */
  | { type: "regulation" }
  /** 待复核 flags on content citing a changed regulation: owner 0 is the shipped content (courses, shared bank). */
  | { type: "content_review"; owner: number }
  /**
   * A follow-up 整改复测 of a failed on-site quiz: its person reads it; the enterprise's officer and inspectors of the
   * region read it and (`update`) hand out a one-time re-test link for someone without an account.
   */
  | { type: "follow_up"; enterpriseId: number; regionPath: string; personId: number }
  | { type: "audit_log" }
  | { type: "reference_data" }
  /** An enterprise's emergency plans 应急预案 (and planning drills under them). */
  | { type: "emergency_plan"; enterpriseId: number; regionPath: string }
  /** A drill, with the actor's role in it and how much of it that role may see before it starts (drills/rules.ts). */
  | { type: "drill"; enterpriseId: number; regionPath: string; drillRole: DrillRole; visibility: DrillVisibility }
  /** A rectification item 整改 raised by a drill; its owner answers it, the drill's organizer verifies it. */
  | {
      type: "rectification";
      enterpriseId: number;
      regionPath: string;
      ownerPersonId: number;
      drillRole: DrillRole;
      submittedBy: string | null;
    }
  /** A region's certificate sync from the certificate authority's data: regulators of the region load and read it. */
  | { type: "cert_sync"; regionPath: string }
  /** A rescue team 救援队伍 (and its call-outs): regulators of its region keep it; an enterprise's own team also its officer. */
  | { type: "rescue_team"; regionPath: string; enterpriseId: number | null }
  /** A regulator-run spot check 双盲抽查, with the actor's role in it and what that role may see (rescue/rules.ts). */
  | { type: "spot_check"; regionPath: string; spotRole: SpotRole; visibility: SpotVisibility }
  /** A town's plans 乡镇预案 and drills: kept by regulators of the town's region; evaluated by regional staff other than the organizer. */
  | { type: "town_drill"; regionPath: string; organizerUserId: string | null }
  /** A finding of a spot check or town drill: the target answers it, someone other than the submitter verifies it. */
  | { type: "rescue_finding"; regionPath: string; enterpriseId: number | null; submittedBy: string | null }
  /** A knowledge contest 知识竞赛 of a region: regulators of the region run it (create, update), inspectors there read it. */
  | { type: "contest"; regionPath: string }
  /** An exam site 考试点 and its sessions: regulators of the region plan them; `proctor` = the actor is assigned to this session. */
  | { type: "exam_session"; regionPath: string; proctor: boolean }
  /**
   * An enforcement unit 执法单位 (decision 0029): the regulator's training officers of its region keep its people's
   * training (assign courses and exams, `create`) and 执法证 (`update`) and read its rates; its inspectors are learners
   * and read only their own record (a `training` resource with their person).
   */
  | { type: "enforcement_unit"; regionPath: string }
  /**
   * The full (decrypted) ID numbers of an enterprise's people, as in the editable certificate ledger (decision 0031):
   * its own officer only, who keeps the roster and re-imports it; everyone else (the admin included) sees masked forms.
   */
  | { type: "full_id_numbers"; enterpriseId: number }
  /**
   * Planning of exam sites 考试点 (a site, its rooms and seats, its sessions' time, roster and proctors): regulators
   * of the region keep it (the admin too); inspectors there read it.
   */
  | { type: "exam_site"; regionPath: string };

export type Action = "view" | "create" | "update" | "deactivate" | "import" | "inspect" | "log" | "evaluate" | "verify";

const inSubtree = (path: string, root: string | null) => root !== null && path.startsWith(root);

/**
 * The one authorization policy. Roles (docs/architecture.md): worker sees own data; enterprise officer runs own enterprise;
 * inspector inspects enterprises in their region subtree; regulator reads their region subtree; admin does all.
 */
export function can(actor: Actor, action: Action, resource: Resource): boolean {
  const regional = actor.role === "regulator" || actor.role === "inspector";
  // Drills go by the actor's role in the drill, before the admin's "all": running a drill is its organizer's, and no
  // account reads a sealed double-blind drill without a role in it.
  if (resource.type === "drill") return canDrill(actor, action, resource, regional);
  if (resource.type === "rectification") {
    const owner = actor.personId !== null && actor.personId === resource.ownerPersonId;
    // Segregation of duties: the organizer (or an evaluator) verifies, never the account that submitted the evidence.
    if (action === "verify")
      return (
        (resource.drillRole === "organizer" || resource.drillRole === "evaluator") &&
        resource.submittedBy !== actor.userId
      );
    if (action === "update") return owner || resource.drillRole === "organizer";
    return (
      action === "view" &&
      (owner ||
        resource.drillRole !== "none" ||
        (can(actor, "view", {
          type: "training",
          enterpriseId: resource.enterpriseId,
          regionPath: resource.regionPath,
        }) &&
          actor.role !== "worker"))
    );
  }
  if (resource.type === "spot_check") return canSpotCheck(actor, action, resource);
  if (resource.type === "rescue_finding" && action === "verify") {
    return (
      resource.submittedBy !== actor.userId &&
      (actor.role === "admin" || (actor.role === "regulator" && inSubtree(resource.regionPath, actor.regionPath)))
    );
  }
  if (resource.type === "town_drill" && action === "evaluate") {
    return (
      resource.organizerUserId !== actor.userId &&
      (actor.role === "admin" || (regional && inSubtree(resource.regionPath, actor.regionPath)))
    );
  }
  // Running a proctored session (check-in, extend, pause, void) is its assigned proctors' only, the admin included.
  if (resource.type === "exam_session" && (action === "update" || action === "verify")) return resource.proctor;
  if (resource.type === "full_id_numbers")
    return action === "view" && actor.role === "enterprise_officer" && actor.enterpriseId === resource.enterpriseId;
  if (actor.role === "admin") return true;

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
      if (actor.role === "enterprise_officer")
        return actor.enterpriseId === resource.enterpriseId && action !== "inspect";
      return action === "view" && actor.personId === resource.id;
    case "people":
      return (
        actor.role === "enterprise_officer" && actor.enterpriseId === resource.enterpriseId && action !== "inspect"
      );
    case "exam_template":
      // Staff read the shared templates; admins keep them. An enterprise's own go by its training.
      if (resource.enterpriseId === null) return action === "view" && actor.role !== "worker";
      return can(actor, action, {
        type: "training",
        enterpriseId: resource.enterpriseId,
        regionPath: resource.regionPath ?? "",
      });
    case "exam_template_list":
      return action === "view" && actor.role === "enterprise_officer";
    case "account":
      // Officers manage the worker accounts of their own enterprise; everything else is the admin's.
      return (
        actor.role === "enterprise_officer" &&
        resource.role === "worker" &&
        resource.enterpriseId === actor.enterpriseId &&
        action !== "inspect" &&
        action !== "import"
      );
    case "training":
      if (action === "view" && resource.personId !== undefined && resource.personId === actor.personId) return true;
      if (regional) return action === "view" && inSubtree(resource.regionPath, actor.regionPath);
      if (actor.role === "enterprise_officer")
        return actor.enterpriseId === resource.enterpriseId && action !== "inspect";
      return action === "view" && resource.personId !== undefined && resource.personId === actor.personId;
    case "attempt":
      if (action === "update") return resource.personId !== null && resource.personId === actor.personId;
      if (action !== "view") return false;
      if (resource.personId !== null && resource.personId === actor.personId) return true;
      if (resource.enterpriseId === undefined || resource.regionPath === undefined) return false;
      return can(actor, "view", {
        type: "training",
        enterpriseId: resource.enterpriseId,
        regionPath: resource.regionPath,
      });
    case "inspection":
      if (regional)
        return (
          inSubtree(resource.regionPath, actor.regionPath) &&
          (action === "view" || (action === "inspect" && actor.role === "inspector"))
        );
      return action === "view" && actor.role === "enterprise_officer" && actor.enterpriseId === resource.enterpriseId;
    case "question_bank":
      // The bank holds the answers: never for workers. Staff read the shared bank; officers keep their own.
      if (actor.role === "worker") return false;
      if (resource.owner === 0) return action === "view";
      return actor.role === "enterprise_officer" && actor.enterpriseId === resource.owner && action !== "inspect";
    case "course":
    case "regulation":
      return action === "view";
    case "content_review":
      // Officers see what is pending in the shared content their exams draw from, and review their own bank's;
      // the shipped content is reviewed by the admin (who maintains it). Regulators, inspectors, workers: no.
      if (actor.role !== "enterprise_officer") return false;
      if (resource.owner === 0) return action === "view";
      return actor.enterpriseId === resource.owner && (action === "view" || action === "update");
    case "emergency_plan":
      if (regional) return action === "view" && inSubtree(resource.regionPath, actor.regionPath);
      if (actor.enterpriseId !== resource.enterpriseId) return false;
      // Plans are the enterprise's own procedures: its people read them, its officers keep them.
      return (
        action === "view" ||
        (actor.role === "enterprise_officer" && ["create", "update", "deactivate"].includes(action))
      );
    case "follow_up":
      if (regional)
        return (
          inSubtree(resource.regionPath, actor.regionPath) &&
          (action === "view" || (action === "update" && actor.role === "inspector"))
        );
      if (actor.role === "enterprise_officer")
        return actor.enterpriseId === resource.enterpriseId && (action === "view" || action === "update");
      return action === "view" && actor.personId === resource.personId;
    case "cert_sync":
      return (
        actor.role === "regulator" &&
        inSubtree(resource.regionPath, actor.regionPath) &&
        (action === "view" || action === "import")
      );
    case "contest":
      if (!regional) return false;
      // A contest of a wider region (the city's) covers the district's staff: they follow it; only its own region's regulators run it.
      if (!inSubtree(resource.regionPath, actor.regionPath))
        return action === "view" && actor.regionPath !== null && inSubtree(actor.regionPath, resource.regionPath);
      return action === "view" || (actor.role === "regulator" && (action === "create" || action === "update"));
    case "exam_session":
      if (resource.proctor && action === "view") return true;
      if (!regional || !inSubtree(resource.regionPath, actor.regionPath)) return false;
      return action === "view" || (actor.role === "regulator" && action === "create");
    case "enforcement_unit":
      return (
        actor.role === "regulator" &&
        inSubtree(resource.regionPath, actor.regionPath) &&
        (action === "view" || action === "create" || action === "update")
      );
    case "exam_site":
      if (!regional || !inSubtree(resource.regionPath, actor.regionPath)) return false;
      return action === "view" || (actor.role === "regulator" && (action === "create" || action === "update"));
    case "audit_log":
    case "reference_data":
      return false;
    case "rescue_team":
      if (regional && inSubtree(resource.regionPath, actor.regionPath))
        return action === "view" || (actor.role === "regulator" && ["create", "update", "deactivate"].includes(action));
      return (
        actor.role === "enterprise_officer" &&
        resource.enterpriseId !== null &&
        actor.enterpriseId === resource.enterpriseId &&
        (action === "view" || action === "update")
      );
    case "town_drill":
      if (!regional || !inSubtree(resource.regionPath, actor.regionPath)) return false;
      if (action === "view") return true;
      if (action === "create") return actor.role === "regulator";
      return (
        action === "update" &&
        actor.role === "regulator" &&
        (resource.organizerUserId === null || resource.organizerUserId === actor.userId)
      );
    case "rescue_finding":
      if (action === "update")
        return resource.enterpriseId !== null
          ? actor.role === "enterprise_officer" && actor.enterpriseId === resource.enterpriseId
          : actor.role === "regulator" && inSubtree(resource.regionPath, actor.regionPath);
      return (
        action === "view" &&
        ((regional && inSubtree(resource.regionPath, actor.regionPath)) ||
          (actor.role === "enterprise_officer" && actor.enterpriseId === resource.enterpriseId))
      );
  }
}

/** Spot checks go by the actor's role in the check and its secrecy, before the admin's "all" (as drills do). */
function canSpotCheck(actor: Actor, action: Action, c: Extract<Resource, { type: "spot_check" }>): boolean {
  if (c.visibility === "hidden") return false;
  switch (action) {
    case "create":
      return actor.role === "regulator" && inSubtree(c.regionPath, actor.regionPath);
    case "update":
      return c.spotRole === "organizer" && c.visibility === "full";
    case "view":
      return true;
    default:
      return false;
  }
}

function canDrill(actor: Actor, action: Action, d: Extract<Resource, { type: "drill" }>, regional: boolean): boolean {
  if (d.visibility === "hidden") return false;
  switch (action) {
    case "create": // planning a new drill of the enterprise
      return actor.role === "enterprise_officer" && actor.enterpriseId === d.enterpriseId;
    case "update":
    case "verify":
      return d.drillRole === "organizer";
    case "log":
      return mayWriteLog(d.drillRole);
    case "evaluate":
      return d.drillRole === "evaluator";
    case "view":
      if (d.drillRole !== "none" || actor.role === "admin") return true;
      if (regional) return inSubtree(d.regionPath, actor.regionPath);
      return actor.role === "enterprise_officer" && actor.enterpriseId === d.enterpriseId;
    default:
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

/** Whose question bank this actor adds to: 0 = the shared bank (admin), an enterprise's own (officer), else none. */
export function ownBankOf(actor: Actor): number | null {
  const scope = listScope(actor);
  return scope.kind === "all" ? 0 : scope.kind === "enterprise" ? scope.enterpriseId : null;
}

/** Where this actor's new exam templates go: shared (null) for admins, their enterprise's for officers; else none. */
export function ownTemplateOwnerOf(actor: Actor): { enterpriseId: number | null } | undefined {
  const scope = listScope(actor);
  return scope.kind === "all"
    ? { enterpriseId: null }
    : scope.kind === "enterprise"
      ? { enterpriseId: scope.enterpriseId }
      : undefined;
}

/** The parent of a materialized region path ("/1/4/" → "/1/"); null at the root. */
export function parentRegionPath(path: string): string | null {
  const parts = path.split("/").filter(Boolean);
  return parts.length > 1 ? `/${parts.slice(0, -1).join("/")}/` : null;
}

/** May this actor go up from a region to its parent (drill-down pages' "上一级")? */
export function mayGoUp(actor: Actor, regionPath: string): boolean {
  const parent = parentRegionPath(regionPath);
  return parent !== null && can(actor, "view", { type: "region", path: parent });
}

/** The region subtree an actor works in ("/1/4/"), or null: the whole tree for admins, none for enterprise accounts. */
export function regionRootOf(actor: Actor): string | null {
  const scope = listScope(actor);
  return scope.kind === "region" ? scope.path : null;
}

/** Regulators (and the admin) keep regional records: rescue teams, certificate data of a region. */
export const keepsRegionalRecords = (actor: Actor) => actor.role === "regulator" || actor.role === "admin";

/** Only a regulator with a region plans sealed spot checks and their random schedules (not even the admin). */
export const plansSpotChecks = (actor: Actor): actor is Actor & { regionPath: string } =>
  actor.role === "regulator" && actor.regionPath !== null;

/** What an account is called in the UI (操作工's account label aside): its role's Chinese name. */
export const roleLabelOf = (actor: Pick<Actor, "role">) => ROLE_LABELS[actor.role];

/** The navigation an account gets (every target still authorizes on its own). */
export const navigationOf = (actor: Pick<Actor, "role">) => navFor(actor.role);

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
    case "people":
      return "您只能管理本企业的从业人员。";
    case "exam_template":
    case "exam_template_list":
      return "试卷模板由系统管理员（通用）和企业安全培训管理员（本企业）维护。";
    case "audit_log":
      return "只有系统管理员可以查看审计日志。";
    case "reference_data":
      return "只有系统管理员可以维护区域、行业等基础数据。";
    case "region":
      return "该区域不在您的辖区内。";
    case "training":
      if (actor.role === "regulator" || actor.role === "inspector")
        return "该企业不在您的辖区内，您无权查看其培训情况。";
      if (actor.role === "enterprise_officer") return "您只能管理本企业的培训。";
      return "您只能查看本人的培训记录。";
    case "attempt":
      return "这不是您的答卷，您无权查看或作答。";
    case "follow_up":
      return actor.role === "worker" ? "您只能查看本人的复测。" : "该复测不属于您所在的企业或辖区，您无权查看或操作。";
    case "inspection":
      if (actor.role === "worker")
        return "检查记录只对执法检查人员、监管部门和本企业培训管理员开放；您的测验成绩请在测验结果页查看。";
      return actor.role === "enterprise_officer"
        ? "该检查记录不属于您所在的企业。"
        : "该企业不在您的辖区内，您无权查看或操作。";
    case "question_bank":
      return actor.role === "worker"
        ? "题库包含答案，从业人员不能查看。"
        : "您只能修改本企业自建的题目，通用题库由系统管理员维护。";
    case "course":
    case "regulation":
      return "您无权进行此操作。";
    case "content_review":
      return actor.role === "enterprise_officer"
        ? "通用课程和题库的复核由系统管理员完成；您只能复核本企业自建的题目。"
        : "只有系统管理员和企业安全培训管理员可以查看待复核内容。";
    case "emergency_plan":
      return actor.role === "enterprise_officer" || actor.role === "worker"
        ? "您只能查看或维护本企业的应急预案。"
        : "该企业不在您的辖区内，您无权查看其应急预案。";
    case "drill":
      if (resource.visibility === "hidden") return "该演练不存在或尚未公布。";
      if (resource.drillRole === "none") return "您不是该演练的组织者、评估人员或参演人员。";
      if (resource.drillRole === "participant")
        return "您是参演人员：演练记录只能由组织者、导调人员和评估人员填写；开始、结束和验收由组织者进行。";
      return "只有演练组织者可以进行此操作；评估表只能由评估人员填写。";
    case "cert_sync":
      return actor.role === "regulator"
        ? "该区域不在您的辖区内，不能同步其证书数据。"
        : "只有监管部门可以按区域同步证书数据。";
    case "rescue_team":
      return "该救援队伍不在您的辖区内，或您无权维护它（队伍由辖区监管部门维护）。";
    case "spot_check":
      if (resource.visibility === "hidden") return "该抽查不存在或尚未开始。";
      return resource.spotRole === "organizer"
        ? "随机抽查的目标和时间在开始前对任何人保密。"
        : "只有抽查的组织者可以进行此操作。";
    case "town_drill":
      return "乡镇预案和演练由该乡镇所在辖区的监管部门维护；评估须由组织者以外的辖区人员进行。";
    case "rescue_finding":
      return resource.submittedBy === actor.userId
        ? "整改材料由您提交，不能由您本人验收。"
        : "只有被抽查对象可以提交整改材料，只有辖区监管部门可以验收。";
    case "contest":
      return "知识竞赛由本辖区的监管部门组织；该竞赛不在您的辖区内或您无权修改。";
    case "exam_site":
      return actor.role === "regulator"
        ? "该考试点不在您的辖区内：考试点、考场和考试安排由所在辖区的监管部门维护。"
        : "考试点、考场和考试安排由辖区监管部门维护；您只能查看。";
    case "exam_session":
      return resource.proctor
        ? "该考场不在您的辖区内。"
        : "只有本场考试指定的监考人员可以进行签到、延时、暂停和作废操作。";
    case "enforcement_unit":
      return actor.role === "regulator"
        ? "该执法单位不在您的辖区内。"
        : "执法人员的培训和执法证由监管部门培训管理员管理；您的学习和考试请在首页和“我的学习”中查看。";
    case "full_id_numbers":
      return "完整身份证号码只提供给本企业的安全培训管理员；其他人员导出的台账中身份证号码为脱敏形式。";
    case "rectification":
      return resource.submittedBy === actor.userId
        ? "整改材料由您提交，不能由您本人验收：请由演练组织者或评估人员中的其他人验收。"
        : "只有整改责任人或演练组织者可以提交整改材料，只有演练组织者或评估人员可以验收。";
  }
}
