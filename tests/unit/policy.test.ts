import { describe, expect, it } from "vitest";
import {
  can,
  listScope,
  mayGoUp,
  ownBankOf,
  parentRegionPath,
  type Action,
  type Actor,
  type Resource,
} from "../../app/modules/auth/policy";

// Region tree: city /1/, districts /1/2/ and /1/6/, town /1/2/3/ in district /1/2/.
const actor = (role: Actor["role"], extra: Partial<Actor> = {}): Actor => ({
  userId: role,
  username: role,
  displayName: role,
  role,
  enterpriseId: null,
  regionPath: null,
  personId: null,
  ...extra,
});
const admin = actor("admin");
const regulatorCity = actor("regulator", { regionPath: "/1/" });
const regulatorDistrict2 = actor("regulator", { regionPath: "/1/2/" });
const inspector2 = actor("inspector", { regionPath: "/1/2/" });
const inspector6 = actor("inspector", { regionPath: "/1/6/" });
const inspector20 = actor("inspector", { regionPath: "/1/20/" });
const officerA = actor("enterprise_officer", { enterpriseId: 10 });
const officerB = actor("enterprise_officer", { enterpriseId: 11 });
const workerA = actor("worker", { enterpriseId: 10, personId: 100 });

const enterpriseA: Resource = { type: "enterprise", id: 10, regionPath: "/1/2/3/" };
const enterpriseB: Resource = { type: "enterprise", id: 11, regionPath: "/1/6/7/" };
const personA: Resource = { type: "person", id: 100, enterpriseId: 10, regionPath: "/1/2/3/" };
const colleagueA: Resource = { type: "person", id: 101, enterpriseId: 10, regionPath: "/1/2/3/" };
const personB: Resource = { type: "person", id: 200, enterpriseId: 11, regionPath: "/1/6/7/" };
const workerAccountA: Resource = { type: "account", role: "worker", enterpriseId: 10 };
const officerAccountA: Resource = { type: "account", role: "enterprise_officer", enterpriseId: 10 };
const workerAccountB: Resource = { type: "account", role: "worker", enterpriseId: 11 };

const drill = (
  drillRole: "organizer" | "controller" | "evaluator" | "participant" | "none",
  visibility: "full" | "window" | "hidden" = "full",
): Resource => ({ type: "drill", enterpriseId: 10, regionPath: "/1/2/3/", drillRole, visibility });

const followUpA: Resource = { type: "follow_up", enterpriseId: 10, regionPath: "/1/2/3/", personId: 100 };

const cases: [string, Actor, Action, Resource, boolean][] = [
  [
    "officer adds people to own enterprise",
    officerA,
    "create",
    { type: "people", enterpriseId: 10, regionPath: "/1/2/3/" },
    true,
  ],
  [
    "officer is refused adding people elsewhere",
    officerB,
    "import",
    { type: "people", enterpriseId: 10, regionPath: "/1/2/3/" },
    false,
  ],
  [
    "inspector does not import people",
    inspector2,
    "import",
    { type: "people", enterpriseId: 10, regionPath: "/1/2/3/" },
    false,
  ],
  ["worker does not add people", workerA, "create", { type: "people", enterpriseId: 10, regionPath: "/1/2/3/" }, false],
  ["staff read shared exam templates", inspector2, "view", { type: "exam_template", enterpriseId: null }, true],
  ["workers do not read exam templates", workerA, "view", { type: "exam_template", enterpriseId: null }, false],
  ["officers do not change shared templates", officerA, "update", { type: "exam_template", enterpriseId: null }, false],
  ["admin changes shared templates", admin, "update", { type: "exam_template", enterpriseId: null }, true],
  [
    "officer keeps own templates",
    officerA,
    "create",
    { type: "exam_template", enterpriseId: 10, regionPath: "/1/2/3/" },
    true,
  ],
  [
    "officer is refused another's template",
    officerB,
    "view",
    { type: "exam_template", enterpriseId: 10, regionPath: "/1/2/3/" },
    false,
  ],
  ["officer opens the template list", officerA, "view", { type: "exam_template_list" }, true],
  ["regulator has no template list", regulatorCity, "view", { type: "exam_template_list" }, false],
  ["officer hands out a re-test link in own enterprise", officerA, "update", followUpA, true],
  ["officer of another enterprise cannot", officerB, "update", followUpA, false],
  ["inspector of the district hands out a re-test link", inspector2, "update", followUpA, true],
  ["inspector of another district cannot", inspector6, "update", followUpA, false],
  ["regulator reads a follow-up but hands out no link", regulatorDistrict2, "update", followUpA, false],
  ["regulator reads a follow-up in the region", regulatorDistrict2, "view", followUpA, true],
  ["the person reads their own follow-up", workerA, "view", followUpA, true],
  ["the person does not hand out links", workerA, "update", followUpA, false],
  [
    "a worker does not read another's follow-up",
    actor("worker", { enterpriseId: 10, personId: 101 }),
    "view",
    followUpA,
    false,
  ],
  ["every role reads the regulation registry", workerA, "view", { type: "regulation" }, true],
  ["a regulator reads the registry too", regulatorCity, "view", { type: "regulation" }, true],
  ["no one but the admin changes the registry", officerA, "update", { type: "regulation" }, false],
  ["admin reviews flagged shipped content", admin, "update", { type: "content_review", owner: 0 }, true],
  ["officer sees flagged shipped content", officerA, "view", { type: "content_review", owner: 0 }, true],
  ["officer does not review shipped content", officerA, "update", { type: "content_review", owner: 0 }, false],
  ["officer reviews own bank's flags", officerA, "update", { type: "content_review", owner: 10 }, true],
  ["officer is refused another enterprise's flags", officerB, "view", { type: "content_review", owner: 10 }, false],
  ["worker is refused the review list", workerA, "view", { type: "content_review", owner: 0 }, false],
  ["regulator is refused the review list", regulatorCity, "view", { type: "content_review", owner: 0 }, false],
  ["inspector is refused the review list", inspector2, "view", { type: "content_review", owner: 0 }, false],
  ["admin does anything", admin, "update", personB, true],
  ["admin reads the audit log", admin, "view", { type: "audit_log" }, true],
  ["admin edits reference data", admin, "create", { type: "reference_data" }, true],
  ["city regulator views a person anywhere in the city", regulatorCity, "view", personB, true],
  ["regulator never edits people", regulatorCity, "update", personA, false],
  ["district regulator views own district", regulatorDistrict2, "view", enterpriseA, true],
  ["district regulator is refused another district", regulatorDistrict2, "view", enterpriseB, false],
  ["regulator cannot inspect", regulatorCity, "inspect", enterpriseA, false],
  ["inspector inspects in own subtree", inspector2, "inspect", enterpriseA, true],
  ["inspector is refused outside the subtree", inspector6, "inspect", enterpriseA, false],
  ["inspector is refused outside the subtree (view)", inspector6, "view", personA, false],
  ["path prefix is by segment: /1/20/ is not under /1/2/", inspector20, "view", enterpriseA, false],
  ["inspector does not edit people", inspector2, "update", personA, false],
  ["officer views own enterprise", officerA, "view", enterpriseA, true],
  ["officer is refused another enterprise", officerA, "view", enterpriseB, false],
  ["officer edits people of own enterprise", officerA, "update", personA, true],
  ["officer imports into own enterprise", officerA, "import", colleagueA, true],
  ["officer cannot read people of another enterprise", officerA, "view", personB, false],
  ["officer cannot change people of another enterprise", officerB, "update", personA, false],
  ["officer manages worker accounts of own enterprise", officerA, "create", workerAccountA, true],
  ["officer cannot create officer accounts", officerA, "create", officerAccountA, false],
  ["officer cannot manage accounts of another enterprise", officerA, "update", workerAccountB, false],
  ["officer cannot read the audit log", officerA, "view", { type: "audit_log" }, false],
  ["officer cannot edit reference data", officerA, "update", enterpriseA, false],
  ["worker sees self", workerA, "view", personA, true],
  ["worker does not see a colleague", workerA, "view", colleagueA, false],
  ["worker cannot edit self", workerA, "update", personA, false],
  ["worker sees own enterprise", workerA, "view", enterpriseA, true],
  ["worker manages no accounts", workerA, "create", workerAccountA, false],
  ["regional actor without a region sees nothing", actor("inspector"), "view", enterpriseA, false],
  // Emergency plans and drills: the drill role decides, before the admin's "all".
  [
    "officer keeps own enterprise's plans",
    officerA,
    "update",
    { type: "emergency_plan", enterpriseId: 10, regionPath: "/1/2/3/" },
    true,
  ],
  [
    "worker reads own enterprise's plans",
    workerA,
    "view",
    { type: "emergency_plan", enterpriseId: 10, regionPath: "/1/2/3/" },
    true,
  ],
  [
    "worker does not edit plans",
    workerA,
    "update",
    { type: "emergency_plan", enterpriseId: 10, regionPath: "/1/2/3/" },
    false,
  ],
  [
    "inspector is refused plans outside the subtree",
    inspector6,
    "view",
    { type: "emergency_plan", enterpriseId: 10, regionPath: "/1/2/3/" },
    false,
  ],
  ["officer plans drills of own enterprise", officerA, "create", drill("none"), true],
  ["officer of another enterprise cannot", officerB, "create", drill("none"), false],
  ["only the organizer runs a drill", officerA, "update", drill("organizer"), true],
  ["another officer of the enterprise does not run it", officerA, "update", drill("none"), false],
  ["admin does not run a drill without a role in it", admin, "update", drill("none"), false],
  ["evaluators evaluate", workerA, "evaluate", drill("evaluator"), true],
  ["participants do not evaluate", workerA, "evaluate", drill("participant"), false],
  ["outsiders do not log", regulatorCity, "log", drill("none"), false],
  ["a worker without a role does not see the drill", workerA, "view", drill("none"), false],
  ["a participant sees the announced window", workerA, "view", drill("participant", "window"), true],
  ["nobody sees a hidden drill", workerA, "view", drill("participant", "hidden"), false],
  ["the regional regulator sees drills of the subtree", regulatorDistrict2, "view", drill("none", "window"), true],
  ["but not of another district", inspector6, "view", drill("none", "window"), false],
  [
    "a rectification's owner answers it",
    workerA,
    "update",
    {
      type: "rectification",
      enterpriseId: 10,
      regionPath: "/1/2/3/",
      ownerPersonId: 100,
      drillRole: "none",
      submittedBy: null,
    },
    true,
  ],
  [
    "only the organizer verifies it",
    workerA,
    "verify",
    {
      type: "rectification",
      enterpriseId: 10,
      regionPath: "/1/2/3/",
      ownerPersonId: 100,
      drillRole: "none",
      submittedBy: null,
    },
    false,
  ],
  [
    "the organizer verifies evidence someone else submitted",
    workerA,
    "verify",
    {
      type: "rectification",
      enterpriseId: 10,
      regionPath: "/1/2/3/",
      ownerPersonId: 100,
      drillRole: "organizer",
      submittedBy: "owner",
    },
    true,
  ],
  [
    "an evaluator may verify too",
    workerA,
    "verify",
    {
      type: "rectification",
      enterpriseId: 10,
      regionPath: "/1/2/3/",
      ownerPersonId: 100,
      drillRole: "evaluator",
      submittedBy: "owner",
    },
    true,
  ],
  ...(["organizer", "controller", "evaluator", "participant", "none"] as const).map(
    (role) =>
      [
        `whoever submitted the evidence never verifies it (${role})`,
        workerA,
        "verify",
        {
          type: "rectification",
          enterpriseId: 10,
          regionPath: "/1/2/3/",
          ownerPersonId: 100,
          drillRole: role,
          submittedBy: workerA.userId,
        },
        false,
      ] as [string, Actor, Action, Resource, boolean],
  ),
  ...([admin, officerB, regulatorDistrict2] as const).map(
    (who) =>
      [
        `whoever submitted the evidence never verifies it (${who.role})`,
        who,
        "verify",
        {
          type: "rectification",
          enterpriseId: 10,
          regionPath: "/1/2/3/",
          ownerPersonId: 100,
          drillRole: "organizer",
          submittedBy: who.userId,
        },
        false,
      ] as [string, Actor, Action, Resource, boolean],
  ),
  ["a participant never writes the drill log", workerA, "log", drill("participant"), false],
  ["a controller writes the drill log", workerA, "log", drill("controller"), true],
  ["an evaluator writes the drill log", workerA, "log", drill("evaluator"), true],
  [
    "another enterprise's officer cannot read it",
    officerB,
    "view",
    {
      type: "rectification",
      enterpriseId: 10,
      regionPath: "/1/2/3/",
      ownerPersonId: 100,
      drillRole: "none",
      submittedBy: null,
    },
    false,
  ],
];

describe("authorization policy", () => {
  it.each(cases)("%s", (_name, who, action, resource, expected) => {
    expect(can(who, action, resource)).toBe(expected);
  });
});

describe("list scopes", () => {
  it.each([
    [admin, { kind: "all" }],
    [regulatorCity, { kind: "region", path: "/1/" }],
    [inspector2, { kind: "region", path: "/1/2/" }],
    [officerA, { kind: "enterprise", enterpriseId: 10 }],
    [workerA, { kind: "person", personId: 100 }],
    [actor("regulator"), { kind: "none" }],
    [actor("enterprise_officer"), { kind: "none" }],
  ])("%#", (who, scope) => {
    expect(listScope(who)).toEqual(scope);
  });
});

describe("training resources", () => {
  const trainingA: Resource = { type: "training", enterpriseId: 10, regionPath: "/1/2/3/" };
  const ownTraining: Resource = { type: "training", enterpriseId: 10, regionPath: "/1/2/3/", personId: 100 };
  const colleagueTraining: Resource = { type: "training", enterpriseId: 10, regionPath: "/1/2/3/", personId: 101 };
  it.each([
    ["officer assigns in own enterprise", officerA, "create", trainingA, true],
    ["officer of B cannot assign in A", officerB, "create", trainingA, false],
    ["officer of B cannot read A's training", officerB, "view", trainingA, false],
    ["worker reads own hours", workerA, "view", ownTraining, true],
    ["worker cannot read a colleague's hours", workerA, "view", colleagueTraining, false],
    ["worker cannot read the enterprise's assignments", workerA, "view", trainingA, false],
    ["worker cannot record training", workerA, "create", ownTraining, false],
    ["regulator reads training in the region", regulatorDistrict2, "view", trainingA, true],
    ["regulator of another district cannot", actor("regulator", { regionPath: "/1/6/" }), "view", trainingA, false],
    ["regulator does not assign", regulatorCity, "create", trainingA, false],
    ["everyone reads courses", workerA, "view", { type: "course" } as Resource, true],
  ] as [string, Actor, Action, Resource, boolean][])("%s", (_n, who, action, resource, expected) => {
    expect(can(who, action, resource)).toBe(expected);
  });
});

describe("question banks (they hold the answers)", () => {
  const shared: Resource = { type: "question_bank", owner: 0 };
  const bankA: Resource = { type: "question_bank", owner: 10 };
  it.each([
    ["a worker never reads the shared bank", workerA, "view", shared, false],
    ["a worker never reads the enterprise's bank", workerA, "view", bankA, false],
    ["an officer reads the shared bank", officerA, "view", shared, true],
    ["an officer does not change the shared bank", officerA, "update", shared, false],
    ["an officer keeps the enterprise's own bank", officerA, "update", bankA, true],
    ["an officer of B cannot read A's bank", officerB, "view", bankA, false],
    ["a regulator reads the shared bank only", regulatorCity, "view", shared, true],
    ["a regulator does not read an enterprise's own bank", regulatorCity, "view", bankA, false],
    ["an admin maintains the shared bank", admin, "update", shared, true],
  ] as [string, Actor, Action, Resource, boolean][])("%s", (_n, who, action, resource, expected) => {
    expect(can(who, action, resource)).toBe(expected);
  });
});

describe("scope helpers", () => {
  it("goes up only inside one's own subtree", () => {
    expect(parentRegionPath("/1/2/3/")).toBe("/1/2/");
    expect(parentRegionPath("/1/")).toBeNull();
    expect(mayGoUp(regulatorDistrict2, "/1/2/3/")).toBe(true);
    expect(mayGoUp(regulatorDistrict2, "/1/2/")).toBe(false);
    expect(mayGoUp(admin, "/1/2/")).toBe(true);
    expect(mayGoUp(admin, "/1/")).toBe(false);
  });
  it("knows whose bank each actor adds to", () => {
    expect(ownBankOf(admin)).toBe(0);
    expect(ownBankOf(officerA)).toBe(10);
    expect(ownBankOf(workerA)).toBeNull();
    expect(ownBankOf(inspector2)).toBeNull();
  });
});

describe("certificate sync of a region (documents branch)", () => {
  const district: Resource = { type: "cert_sync", regionPath: "/1/2/" };
  const town: Resource = { type: "cert_sync", regionPath: "/1/2/3/" };
  it.each([
    ["the city's regulator loads a district", regulatorCity, "import", district, true],
    ["a district's regulator loads its town", regulatorDistrict2, "import", town, true],
    ["a regulator of another district cannot", actor("regulator", { regionPath: "/1/6/" }), "import", district, false],
    [
      "a regulator of another district cannot read its report",
      actor("regulator", { regionPath: "/1/6/" }),
      "view",
      district,
      false,
    ],
    [
      "an inspector does not load certificate data",
      actor("inspector", { regionPath: "/1/" }),
      "import",
      district,
      false,
    ],
    ["an officer does not", officerA, "import", town, false],
    ["a worker does not", workerA, "view", town, false],
    ["an admin may", admin, "import", district, true],
  ] as [string, Actor, Action, Resource, boolean][])("%s", (_n, who, action, resource, expected) => {
    expect(can(who, action, resource)).toBe(expected);
  });
});

describe("contests and exam sessions (contests branch)", () => {
  const cityContest: Resource = { type: "contest", regionPath: "/1/" };
  const districtContest: Resource = { type: "contest", regionPath: "/1/2/" };
  const session = (proctor: boolean): Resource => ({ type: "exam_session", regionPath: "/1/2/", proctor });
  it("regulators run contests of their region; district staff follow the city's; others nothing", () => {
    expect(can(regulatorCity, "create", cityContest)).toBe(true);
    expect(can(regulatorDistrict2, "create", cityContest)).toBe(false);
    expect(can(regulatorDistrict2, "view", cityContest)).toBe(true);
    expect(can(regulatorDistrict2, "create", districtContest)).toBe(true);
    expect(can(inspector2, "create", districtContest)).toBe(false);
    expect(can(inspector2, "view", districtContest)).toBe(true);
    expect(can(inspector6, "view", districtContest)).toBe(false);
    expect(can(officerA, "view", cityContest)).toBe(false);
    expect(can(workerA, "view", cityContest)).toBe(false);
  });
  it("only a session's assigned proctors act on it (the admin too); the region's staff read it", () => {
    expect(can(inspector2, "update", session(true))).toBe(true);
    expect(can(inspector2, "update", session(false))).toBe(false);
    expect(can(regulatorCity, "update", session(false))).toBe(false);
    expect(can(admin, "update", session(false))).toBe(false);
    expect(can(regulatorCity, "view", session(false))).toBe(true);
    expect(can(inspector6, "view", session(false))).toBe(false);
    expect(can(inspector6, "view", session(true))).toBe(true);
    expect(can(officerA, "view", session(false))).toBe(false);
    expect(can(regulatorDistrict2, "create", session(false))).toBe(true);
    expect(can(inspector2, "create", session(false))).toBe(false);
  });
});

describe("exam-site planning (exam_site)", () => {
  const site: Resource = { type: "exam_site", regionPath: "/1/2/3/" };
  it("regulators of the region and the admin keep sites; inspectors there read them; others nothing", () => {
    for (const a of ["view", "create", "update"] as const) {
      expect(can(regulatorCity, a, site)).toBe(true);
      expect(can(regulatorDistrict2, a, site)).toBe(true);
      expect(can(admin, a, site)).toBe(true);
    }
    expect(can(inspector2, "view", site)).toBe(true);
    expect(can(inspector2, "update", site)).toBe(false);
    expect(can(inspector2, "create", site)).toBe(false);
    // Outside the region, or not regional at all.
    const other = actor("regulator", { regionPath: "/1/6/" });
    expect(can(other, "view", site)).toBe(false);
    expect(can(other, "update", site)).toBe(false);
    expect(can(inspector6, "view", site)).toBe(false);
    expect(can(officerA, "view", site)).toBe(false);
    expect(can(workerA, "view", site)).toBe(false);
  });
});
