import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** The schema as the migrations in db/migrations build it. Keep the two in step. */
type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date | undefined>;
/** DATE columns come back as 'YYYY-MM-DD' (see poolOptions). */
type DateOnly = string;

export type Post = "principal" | "safety_manager" | "special_operator" | "worker";
export type Role = "worker" | "enterprise_officer" | "inspector" | "regulator" | "admin";
export type RiskLevel = "red" | "orange" | "yellow" | "blue";
export type RegionLevel = "city" | "district" | "town";

export interface RegionTable {
  id: Generated<number>;
  parent_id: number | null;
  name: string;
  level: RegionLevel;
  code: string | null;
  /** Materialized path of ids, "/1/4/17/": a subtree is a prefix range scan. */
  path: string;
  active: Generated<number>;
  created_at: CreatedAt;
}

export interface IndustryTable {
  code: string;
  name: string;
  /** Coal/non-coal mines, hazardous chemicals, fireworks, metal smelting: stricter hours and drill rules. */
  high_risk: number;
  sort: number;
}

export interface EnterpriseTable {
  id: Generated<number>;
  name: string;
  uscc: string;
  region_id: number;
  /** Copy of the region's path, so region subtree lists are one index range. */
  region_path: string;
  industry_code: string;
  risk_level: RiskLevel;
  address: string | null;
  contact_phone: string | null;
  active: Generated<number>;
  /** Earliest due date of its active emergency plans (app/modules/drills/plans.server.ts keeps it). */
  drill_due_on: Generated<string | null>;
  /** Learners take a photo at each check-in while studying (the camera, no face recognition). */
  study_photo_checkin: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PersonTable {
  id: Generated<number>;
  enterprise_id: number;
  name: string;
  /** HMAC-SHA256 of the ID number under ID_HASH_KEY: matches without storing the number. */
  id_number_hash: string;
  id_number_masked: string;
  /** AES-256-GCM of the number under ID_NUMBER_KEYS ("key id.iv.ciphertext"); NULL for rows older than migration 0023. */
  id_number_cipher: string | null;
  phone: string | null;
  post: Post;
  hire_date: DateOnly | null;
  active: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface UserTable {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  display_name: string;
  enterprise_id: number | null;
  region_id: number | null;
  person_id: number | null;
  active: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SessionTable {
  id: string;
  user_id: string;
  expires_at: Date;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, Date | undefined, never>;
  actor_user_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
}

export interface RateLimitTable {
  key: string;
  points: number;
  expire: number | null;
}

export interface CourseTable {
  id: Generated<number>;
  slug: string;
  title: string;
  hours: number;
  version: number;
  content_hash: string;
  /** Comma-separated post codes (audience). */
  posts: string;
  /** Comma-separated industry codes; empty = all industries. */
  industries: string;
  position: number;
  lesson_count: number;
  active: Generated<number>;
}

export interface LessonTable {
  id: Generated<number>;
  course_id: number;
  slug: string;
  position: number;
  title: string;
  chars: number;
  active: Generated<number>;
}

export interface LessonProgressTable {
  person_id: number;
  lesson_id: number;
  seconds_spent: Generated<number>;
  last_seen_at: Date;
  completed_at: Date | null;
}

export interface CourseCompletionTable {
  person_id: number;
  course_id: number;
  course_version: number;
  completed_at: ColumnType<Date, Date | undefined, never>;
  /** Active study seconds of the course's lessons when it completed (what the credited hours rest on). */
  active_seconds: number | null;
}

export type TrainingSource = "course" | "offline" | "exam" | "quiz";

export interface TrainingRecordTable {
  id: Generated<number>;
  person_id: number;
  enterprise_id: number;
  source: TrainingSource;
  source_key: string;
  title: string;
  hours: number;
  trained_on: DateOnly;
  note: string | null;
  recorded_by: string | null;
  /** active_study (counted sessions), reading_time (the rule before active study), or null for other sources. */
  credit_rule: string | null;
  created_at: CreatedAt;
}

export type AssignmentTarget = "everyone" | "post" | "person" | "new_hires";

export interface CourseAssignmentTable {
  id: Generated<number>;
  enterprise_id: number;
  course_id: number;
  target: AssignmentTarget;
  target_post: Post | null;
  target_person_id: number | null;
  due_on: DateOnly | null;
  due_days: number | null;
  created_by: string;
  created_at: CreatedAt;
  active: Generated<number>;
}

export interface TrainingHoursRuleTable {
  post: Post;
  high_risk: number;
  phase: "initial" | "annual";
  hours: number;
  basis: string;
}

export type QuestionType = "single" | "multiple" | "judge";

export interface QuestionTable {
  id: Generated<number>;
  owner_enterprise_id: Generated<number>;
  external_id: string;
  current_version_id: number | null;
  type: QuestionType;
  topic: string;
  difficulty: number;
  posts: string;
  industries: string;
  course_slug: string | null;
  lesson_slug: string | null;
  source: "content" | "import" | "editor";
  active: Generated<number>;
  /** 1 while a 待复核 flag on it is open (content_review). */
  review_pending: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface QuestionVersionTable {
  id: Generated<number>;
  question_id: number;
  version: number;
  stem: string;
  /** JSON array of option texts. */
  options: string;
  answer: string;
  explanation: string | null;
  regulation: string | null;
  created_at: CreatedAt;
}

export interface QuestionPoolTable {
  pool_key: string;
  seq: number;
  question_id: number;
}
export interface QuestionPoolSizeTable {
  pool_key: string;
  n: number;
  owner_enterprise_id: number;
  type: QuestionType;
  topic: string;
  difficulty: number;
  post: string;
  industry: string;
  /** Pools of questions with an open 待复核 flag (0010). */
  flagged: Generated<number>;
}

export type CitingKind = "course" | "lesson" | "question";

export interface RegulationTable {
  id: Generated<number>;
  code: string;
  name: string;
  /** JSON array of other names it is cited by. */
  aliases: string;
  kind: string;
  number: string | null;
  issuer: string;
  issued_on: string | null;
  effective_on: string | null;
  repealed_on: string | null;
  /** Code of the entry that replaces this one. */
  superseded_by: string | null;
  version: string;
  article_count: number | null;
  note: string | null;
  updated_at: UpdatedAt;
}
export interface RegulationArticleTable {
  regulation_id: number;
  label: string;
  position: number;
  gist: string;
}
export interface RegulationCitationTable {
  id: Generated<number>;
  regulation_id: number;
  item_kind: CitingKind;
  item_id: number;
  article: Generated<string>;
}
export interface ContentReviewTable {
  id: Generated<number>;
  item_kind: CitingKind;
  item_id: number;
  owner_enterprise_id: Generated<number>;
  regulation_id: number;
  reason: string;
  flagged_at: CreatedAt;
  reviewed_at: Date | null;
  reviewed_by: string | null;
  review_note: string | null;
}

export interface ExamTemplateTable {
  id: Generated<number>;
  enterprise_id: number | null;
  name: string;
  /** JSON PaperRule[] (app/modules/exams/schema.ts). */
  rules: string;
  time_limit_minutes: number;
  pass_mark: number;
  attempts_allowed: number;
  shuffle_options: number;
  show_answers: "after_submit" | "after_close" | "never";
  multiple_scoring: "all_or_nothing" | "partial";
  leave_limit: number | null;
  purpose: ColumnType<"exam" | "quiz", "exam" | "quiz" | undefined, "exam" | "quiz">;
  created_by: string;
  active: Generated<number>;
  created_at: CreatedAt;
}

export interface ExamTable {
  id: Generated<number>;
  template_id: number;
  enterprise_id: number;
  title: string;
  posts: string;
  opens_at: Date;
  closes_at: Date;
  created_by: string;
  created_at: CreatedAt;
  /** A 补考 window: the exam it makes up for (meant only for the people in exam_person). */
  makeup_of: Generated<number | null>;
}

export interface AttemptTable {
  id: Generated<number>;
  template_id: number;
  exam_id: number | null;
  person_id: number | null;
  attempt_no: number;
  started_at: Date;
  deadline_at: Date;
  submitted_at: Date | null;
  closed_by: "person" | "deadline" | "inspector" | "incomplete" | "leave_limit" | null;
  score: number | null;
  passed: number | null;
  total_points: number;
  at_deadline: Generated<"grade" | "incomplete">;
  leave_count: Generated<number>;
  mock: Generated<number>;
  /** Set while the proctor has paused the session (exam sites): the clock is stopped. */
  paused_at: Generated<Date | null>;
}

export interface AttemptItemTable {
  attempt_id: number;
  position: number;
  question_id: number;
  question_version_id: number;
  option_order: string;
  points: number;
  earned: number | null;
}

export interface AttemptAnswerTable {
  attempt_id: number;
  position: number;
  answer: string;
  client_seq: number;
  saved_at: Date;
}

export interface WrongAnswerTable {
  person_id: number;
  question_id: number;
  wrong_count: number;
  last_wrong_at: Date;
  mastered_at: Date | null;
}

export interface InspectionTable {
  id: Generated<number>;
  enterprise_id: number;
  region_path: string;
  inspected_on: DateOnly;
  inspectors: string;
  place: string | null;
  notes: string | null;
  created_by: string;
  created_at: CreatedAt;
}

export interface OnsiteQuizTable {
  id: Generated<number>;
  inspection_id: number;
  enterprise_id: number;
  region_path: string;
  industry_code: string;
  token: string;
  join_code: string;
  /** JSON QuizPlan (app/modules/inspections/schema.ts). */
  plan: string;
  expires_at: Date;
  closed_at: Date | null;
  close_requested_at: Date | null;
  close_requested_by: string | null;
  unfinished: "incomplete" | "grade" | null;
  /** How many people not on file may join; `unknown_closed` stops them altogether. */
  unknown_limit: Generated<number>;
  unknown_closed: Generated<number>;
  /** The inspector asked for a photo at join (quiz_participant_photo). */
  photo_at_join: Generated<number>;
  created_by: string;
  created_at: CreatedAt;
}

export type QuizIdentity = "ok" | "doubtful" | "confirmed" | "voided";

export interface QuizParticipantTable {
  id: Generated<number>;
  quiz_id: number;
  person_id: number | null;
  name: string;
  id_number_hash: string;
  id_number_masked: string;
  post: Post;
  on_file: number;
  name_mismatch: Generated<number>;
  secret_hash: string;
  attempt_id: number | null;
  joined_at: CreatedAt;
  /** The name typed at join, kept beside the roster name. */
  typed_name: string | null;
  identity: Generated<QuizIdentity>;
  identity_by: string | null;
  identity_at: Date | null;
  identity_reason: string | null;
}

export interface FollowUpTable {
  id: Generated<number>;
  participant_id: number;
  person_id: number;
  enterprise_id: number;
  post: Post;
  course_id: number | null;
  weak_topics: string;
  retest_due: DateOnly;
  retest_attempt_id: number | null;
  closed_at: Date | null;
  closed_how: "retest" | "next_quiz" | "voided" | null;
  created_at: CreatedAt;
}

/** law_enforcement: 行政执法证 of enforcement staff (decision 0029; validity in enforcement_cert_kind). */
export type CertificateKind = "principal_manager" | "special_operation" | "special_equipment" | "law_enforcement";

export interface CertificateTable {
  id: Generated<number>;
  person_id: number;
  enterprise_id: number;
  region_path: string;
  kind: CertificateKind;
  category: string | null;
  item: string | null;
  number: string;
  authority: string | null;
  first_issued_on: DateOnly | null;
  valid_from: DateOnly;
  expires_on: DateOnly;
  review_due_on: DateOnly | null;
  last_reviewed_on: DateOnly | null;
  revoked_on: DateOnly | null;
  valid_until: DateOnly;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CertificateRequirementTable {
  post: Post;
  industry_code: string;
  kind: CertificateKind;
  basis: string;
}
export interface CertSummaryEnterpriseTable {
  enterprise_id: number;
  post: Post;
  region_path: string;
  industry_code: string;
  required: number;
  holding: number;
}
export interface CertSummaryRegionTable {
  region_id: number;
  post: Post;
  industry_code: string;
  required: number;
  holding: number;
}
export interface CertSummaryMonthTable {
  month: string;
  region_id: number;
  required: number;
  holding: number;
}
export interface JobStateTable {
  name: string;
  value: string;
}

export type PlanType = "comprehensive" | "special" | "onsite";
export type DrillForm = "tabletop" | "live";
export type DrillMode = "scripted" | "unscripted" | "double_blind";
export type DrillState = "planned" | "running" | "ended" | "closed" | "cancelled";
export type RectificationStatus = "open" | "submitted" | "closed" | "accepted";
export type Rating = "P" | "S" | "M" | "U";

export interface EmergencyPlanTable {
  id: Generated<number>;
  enterprise_id: number;
  region_path: string;
  industry_code: string;
  type: PlanType;
  title: string;
  scenarios: string;
  response_roles: string;
  issued_on: DateOnly;
  interval_months: number;
  last_drilled_on: DateOnly | null;
  due_on: DateOnly;
  active: Generated<number>;
  created_by: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DrillTable {
  id: Generated<number>;
  /** Null for a drill a regulator's spot check started without one of the enterprise's plans. */
  plan_id: number | null;
  enterprise_id: number;
  region_path: string;
  industry_code: string;
  organizer_user_id: string;
  title: string;
  form: DrillForm;
  mode: DrillMode;
  announce_window: number;
  window_start: Date;
  window_end: Date;
  planned_start: Date | null;
  objectives: string;
  scenario: string;
  teams: string | null;
  status: Generated<DrillState>;
  started_at: Date | null;
  ended_at: Date | null;
  closed_at: Date | null;
  summary: string | null;
  created_at: CreatedAt;
  /** `aqt9009` (rated criteria) or `gbt46792` (scored indicators): evaluation-forms.ts. */
  evaluation_form: Generated<string>;
  spot_check_id: number | null;
}

export interface DrillMemberTable {
  id: Generated<number>;
  drill_id: number;
  role: "evaluator" | "controller" | "participant";
  user_id: string | null;
  person_id: number | null;
}

export interface DrillInjectTable {
  id: Generated<number>;
  drill_id: number;
  seq: number;
  title: string;
  body: string;
  offset_minutes: number | null;
  released_at: Date | null;
}

export interface DrillEventTable {
  id: Generated<number>;
  drill_id: number;
  milestone: string | null;
  note: string | null;
  at: Date;
  logged_by: string;
  logged_by_name: string;
  created_at: CreatedAt;
  voided_at: Date | null;
  voided_by: string | null;
  void_reason: string | null;
}

export interface DrillPhotoTable {
  id: Generated<number>;
  drill_id: number;
  event_id: number | null;
  rectification_id: number | null;
  content_type: string;
  bytes: Buffer;
  uploaded_by: string;
  created_at: CreatedAt;
}

export interface DrillFileTable {
  id: Generated<number>;
  drill_id: number;
  kind: "plan" | "task_card";
  file_name: string;
  content_type: string;
  byte_size: number;
  bytes: Buffer;
  uploaded_by: string;
  uploaded_by_name: string;
  created_at: CreatedAt;
  voided_at: Date | null;
  voided_by: string | null;
  void_reason: string | null;
}

export interface EvaluationCriterionTable {
  id: Generated<number>;
  section: string;
  text: string;
  sort: number;
  active: Generated<number>;
}

export interface EvaluationSheetTable {
  id: Generated<number>;
  drill_id: number;
  evaluator_user_id: string;
  overall_rating: Rating | null;
  overall_comment: string | null;
  submitted_at: Date | null;
  updated_at: UpdatedAt;
  form_code: string | null;
  scores_json: string | null;
  total: string | null;
  grade: string | null;
}

export interface EvaluationScoreTable {
  sheet_id: number;
  criterion_id: number;
  rating: Rating;
  comment: string | null;
}

export interface RectificationTable {
  id: Generated<number>;
  drill_id: number;
  enterprise_id: number;
  region_path: string;
  finding: string;
  criterion_id: number | null;
  owner_person_id: number;
  due_on: DateOnly;
  status: Generated<RectificationStatus>;
  evidence: string | null;
  submitted_at: Date | null;
  verified_by: string | null;
  verified_at: Date | null;
  verification_note: string | null;
  submitted_by: string | null;
  raised_by: string;
  created_at: CreatedAt;
}

export interface StudyRuleTable {
  region_path: string;
  online_minutes_per_hour: number;
  offline_minutes_per_hour: number;
  checkin_min_seconds: number;
  checkin_max_seconds: number;
  checkin_answer_seconds: number;
  basis: string;
  updated_by: string | null;
  updated_at: UpdatedAt;
}

export type StudyState = "counting" | "hidden" | "checkin" | "missed" | "elsewhere" | "ended";

export interface StudySessionTable {
  id: Generated<number>;
  person_id: number;
  lesson_id: number;
  course_id: number;
  state: StudyState;
  started_at: Date;
  last_counted_at: Date | null;
  active_seconds: Generated<number>;
  checkin_at: Date;
  checkin_nonce: string | null;
  checkin_deadline: Date | null;
  ended_at: Date | null;
  user_agent: string | null;
  ip: string | null;
}

export interface StudyActiveTable {
  person_id: number;
  session_id: number;
}

export interface StudyEventTable {
  id: Generated<number>;
  session_id: number;
  person_id: number;
  at: Date;
  kind: string;
  active_seconds: number;
  detail: string | null;
}

export interface StudyPhotoTable {
  id: Generated<number>;
  session_id: number;
  content_type: string;
  bytes: Buffer;
  taken_at: Date;
}

export interface QuestionMediaTable {
  hash: string;
  kind: "img" | "audio";
  content_type: string;
  bytes: Buffer;
  size: number;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface NotificationTable {
  id: Generated<number>;
  person_id: number | null;
  user_id: string | null;
  kind: string;
  title: string;
  body: Generated<string>;
  link: string | null;
  dedupe_key: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  read_at: Date | null;
}

export interface NotificationDeliveryTable {
  id: Generated<number>;
  notification_id: number;
  channel: string;
  status: Generated<"pending" | "sent" | "failed" | "skipped">;
  attempts: Generated<number>;
  last_error: string | null;
  next_at: Generated<Date>;
  sent_at: Date | null;
  created_at: Generated<Date>;
}

export interface NotificationCursorTable {
  channel: string;
  last_id: Generated<number>;
}

export interface PersonWechatTable {
  person_id: number;
  openid: string;
  bound_at: Generated<Date>;
}

export interface RetestLinkTable {
  id: Generated<number>;
  follow_up_id: number;
  token_hash: string;
  expires_on: DateOnly;
  secret_hash: string | null;
  used_at: Date | null;
  attempt_id: number | null;
  created_by: string;
  created_at: Generated<Date>;
}

export interface ExamPersonTable {
  exam_id: number;
  person_id: number;
}
interface CockpitCounts {
  hours_people: Generated<number>;
  hours_met: Generated<number>;
  newhire_people: Generated<number>;
  newhire_trained: Generated<number>;
  quiz_taken: Generated<number>;
  quiz_passed: Generated<number>;
  plans: Generated<number>;
  plans_on_time: Generated<number>;
}
export interface CockpitEnterpriseTable extends CockpitCounts {
  enterprise_id: number;
  region_path: string;
  counted_on: DateOnly;
  cert_required: Generated<number>;
  cert_holding: Generated<number>;
}
export interface CockpitWorstTable {
  region_id: number;
  kpi: string;
  position: number;
  enterprise_id: number;
  num: number;
  den: number;
}
export interface CockpitMonthTable extends CockpitCounts {
  month: string;
  region_id: number;
}

export interface AttemptLeaveTable {
  id: Generated<number>;
  attempt_id: number;
  kind: "hidden" | "blur";
  left_at: Date;
  away_ms: number | null;
}

export interface PracticePositionTable {
  person_id: number;
  topic: string;
  question_id: number;
  updated_at: Generated<Date>;
}

export interface QuestionFavoriteTable {
  person_id: number;
  question_id: number;
  created_at: Generated<Date>;
}

export interface QuizParticipantPhotoTable {
  participant_id: number;
  quiz_id: number;
  content_type: string;
  bytes: Buffer;
  taken_at: Date;
}

export interface CertSyncJobTable {
  id: Generated<number>;
  region_id: number;
  region_path: string;
  source: string;
  file_name: string;
  file_path: string;
  file_bytes: number;
  file_sha256: string;
  status: Generated<"queued" | "running" | "done" | "failed">;
  phase: Generated<"rows" | "summaries">;
  rows_done: Generated<number>;
  summary_cursor: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  unmatched: Generated<number>;
  conflicts: Generated<number>;
  invalid: Generated<number>;
  error: string | null;
  lease_owner: string | null;
  lease_until: Date | null;
  created_by: string;
  created_at: CreatedAt;
  started_at: Date | null;
  finished_at: Date | null;
}
export interface CertSyncIssueTable {
  id: Generated<number>;
  job_id: number;
  row_no: number;
  kind: "unmatched" | "conflict" | "invalid";
  name: string | null;
  id_number_masked: string | null;
  cert_kind: string | null;
  cert_number: string | null;
  column_name: string | null;
  reason: string;
  enterprise_ids: string | null;
}
export interface CertSyncTouchedTable {
  job_id: number;
  enterprise_id: number;
}

export type RescueTeamKind = "professional" | "town" | "social";

export interface RescueTeamTable {
  id: Generated<number>;
  name: string;
  kind: RescueTeamKind;
  region_id: number;
  region_path: string;
  enterprise_id: number | null;
  equipment: string;
  standard_minutes: number;
  required_strength: number;
  first_n: number;
  active: Generated<number>;
  created_by: string;
  created_at: Generated<Date>;
}

export interface RescueMemberTable {
  id: Generated<number>;
  team_id: number;
  region_path: string;
  name: string;
  phone: string;
  id_number_hash: string;
  id_number_masked: string;
  person_id: number | null;
  core: Generated<number>;
  active: Generated<number>;
  created_at: Generated<Date>;
}

export interface RescueCertKindTable {
  code: string;
  name: string;
  validity_months: number | null;
  target_rate: string | null;
  basis: string;
}

/** An enforcement unit 执法单位: the enterprise row that holds its people, and where it serves (decision 0029). */
export interface EnforcementUnitTable {
  enterprise_id: number;
  level: "detachment" | "brigade" | "squadron";
  region_id: number;
  region_path: string;
  created_by: string;
  created_at: CreatedAt;
}

/** Certificate kinds of enforcement staff with their validity rules as data. */
export interface EnforcementCertKindTable {
  code: string;
  name: string;
  validity_months: number;
  review_months: number | null;
  warn_days: number;
  target_rate: string;
  basis: string;
}

export interface RescueCertTable {
  id: Generated<number>;
  member_id: number;
  kind: string;
  number: string;
  issued_on: string;
  expires_on: string | null;
  voided_at: Date | null;
  void_reason: string | null;
  created_by: string;
  created_at: Generated<Date>;
}

export interface SpotScheduleTable {
  id: Generated<number>;
  organizer_user_id: string;
  region_path: string;
  title: string;
  pool_json: string;
  draw_count: number;
  period_start: Date;
  period_end: Date;
  seed: string;
  algorithm: string;
  created_at: Generated<Date>;
}

export type SpotCheckState = "planned" | "running" | "ended" | "cancelled";

export interface SpotCheckTable {
  id: Generated<number>;
  organizer_user_id: string;
  schedule_id: number | null;
  target_kind: "team" | "enterprise";
  team_id: number | null;
  enterprise_id: number | null;
  region_path: string;
  title: string;
  scenario: string;
  window_start: Date;
  window_end: Date;
  planned_at: Date;
  status: Generated<SpotCheckState>;
  started_at: Date | null;
  ended_at: Date | null;
  outcome: "pass" | "fail" | null;
  findings: string | null;
  created_at: Generated<Date>;
}

export interface SpotCheckEvaluatorTable {
  spot_check_id: number;
  user_id: string;
}

export interface CalloutTable {
  id: Generated<number>;
  team_id: number;
  region_path: string;
  spot_check_id: number | null;
  organizer_user_id: string;
  standard_minutes: number;
  required_strength: number;
  first_n: number;
  message: string;
  started_at: Date;
  ended_at: Date | null;
}

export interface CalloutMemberTable {
  id: Generated<number>;
  callout_id: number;
  member_id: number;
  token: string;
  device_hash: string | null;
  acked_at: Date | null;
  arrived_at: Date | null;
  taps: Generated<number>;
  latitude: string | null;
  longitude: string | null;
  photo_type: string | null;
  photo: Buffer | null;
}

export interface TownPlanTable {
  id: Generated<number>;
  region_id: number;
  region_path: string;
  type: "comprehensive" | "evacuation";
  title: string;
  issued_on: string;
  interval_months: number;
  last_drilled_on: string | null;
  due_on: string;
  active: Generated<number>;
  created_by: string;
  created_at: Generated<Date>;
}

export interface TownDrillTable {
  id: Generated<number>;
  plan_id: number;
  region_path: string;
  organizer_user_id: string;
  title: string;
  planned_start: Date;
  expected_people: number;
  status: Generated<"planned" | "running" | "ended">;
  started_at: Date | null;
  ended_at: Date | null;
  people_moved: number | null;
  created_at: Generated<Date>;
}

export interface EvaluationFormTable {
  code: string;
  name: string;
  definition_json: string;
  updated_at: Generated<Date>;
}

export interface TownDrillEvaluationTable {
  id: Generated<number>;
  drill_id: number;
  evaluator_user_id: string;
  form_code: string;
  scores_json: string;
  total: string;
  grade: string;
  comment: string;
  submitted_at: Date;
}

export interface RescueFindingTable {
  id: Generated<number>;
  spot_check_id: number | null;
  town_drill_id: number | null;
  region_path: string;
  description: string;
  due_on: string;
  status: Generated<"open" | "submitted" | "closed">;
  evidence: string | null;
  submitted_by: string | null;
  submitted_at: Date | null;
  verified_by: string | null;
  verified_at: Date | null;
  raised_by: string;
  created_at: Generated<Date>;
}

export interface ContestTable {
  id: Generated<number>;
  title: string;
  region_id: number;
  region_path: string;
  token: string;
  starts_at: Date;
  ends_at: Date;
  mode: "daily" | "paper";
  rules: string;
  question_seconds: number;
  attempts_per_day: number;
  person_limit: number;
  eligibility: "phone" | "on_file";
  created_by: string;
  created_at: Generated<Date>;
}

export interface ContestParticipantTable {
  id: Generated<number>;
  contest_id: number;
  ident_hash: string;
  ident_masked: string;
  name: string;
  person_id: number | null;
  enterprise_id: number | null;
  group_region_id: number | null;
  user_id: string | null;
  secret_hash: string;
  joined_at: Generated<Date>;
  entries: Generated<number>;
  best_score: number | null;
  best_ms: number | null;
  sort_key: Generated<number>;
  flagged: Generated<number>;
}

export interface ContestEntryTable {
  id: Generated<number>;
  contest_id: number;
  participant_id: number;
  day: string;
  open_key: number | null;
  started_at: Date;
  finished_at: Date | null;
  question_count: number;
  score: number | null;
  total_ms: number | null;
  suspicious: Generated<number>;
}

export interface ContestItemTable {
  entry_id: number;
  position: number;
  question_id: number;
  question_version_id: number;
  option_order: string;
  points: number;
  served_at: Date | null;
  answered_at: Date | null;
  answer: string | null;
  earned: number | null;
  elapsed_ms: number | null;
}

export interface ContestGroupTable {
  contest_id: number;
  kind: "enterprise" | "region";
  group_id: number;
  name: string;
  members: Generated<number>;
  total: Generated<number>;
  sort_key: Generated<number>;
}

export interface ExamSiteTable {
  id: Generated<number>;
  name: string;
  address: Generated<string>;
  region_id: number;
  region_path: string;
  created_at: Generated<Date>;
  updated_by: string | null;
  updated_at: Date | null;
}

export interface ExamRoomTable {
  id: Generated<number>;
  site_id: number;
  name: string;
  camera: Generated<number>;
  updated_by: string | null;
  updated_at: Date | null;
}

export interface ExamSeatTable {
  id: Generated<number>;
  room_id: number;
  label: string;
}

export interface ExamSessionTable {
  id: Generated<number>;
  site_id: number;
  room_id: number;
  template_id: number;
  title: string;
  region_path: string;
  scheduled_at: Date;
  minutes: number;
  status: Generated<"scheduled" | "running" | "paused" | "ended">;
  started_at: Date | null;
  paused_at: Date | null;
  paused_ms: Generated<number>;
  ended_at: Date | null;
  created_by: string;
  created_at: Generated<Date>;
  updated_by: string | null;
  updated_at: Date | null;
}

export interface ExamSessionProctorTable {
  session_id: number;
  user_id: string;
}

export interface ExamRosterTable {
  id: Generated<number>;
  session_id: number;
  person_id: number;
  seat_id: number | null;
  checked_in_at: Date | null;
  checked_in_by: string | null;
  photo: Buffer | null;
  seat_secret_hash: string | null;
  attempt_id: number | null;
  extra_minutes: Generated<number>;
  voided_at: Date | null;
  voided_by: string | null;
  void_reason: string | null;
  photo_type: string | null;
  /** The proctor's check of the seat photos: 核验通过 (ok) or 存疑 (doubtful). */
  identity: Generated<"unchecked" | "ok" | "doubtful">;
  identity_by: string | null;
  identity_at: Date | null;
  identity_note: string | null;
  /** Taken off the roster before the start (kept; adding the person again puts them back). */
  removed_at: Date | null;
  removed_by: string | null;
}

/** A photo the seat terminal took where the room's camera is on. */
export interface ExamSeatPhotoTable {
  id: Generated<number>;
  roster_id: number;
  content_type: string;
  bytes: Buffer;
  taken_at: Date;
}

/** Kept rank counts of a contest (0022): people per best score, and per best score and whole second of time. */
export interface ContestScoreCountTable {
  contest_id: number;
  score: number;
  people: Generated<number>;
}

export interface ContestTimeCountTable {
  contest_id: number;
  score: number;
  second: number;
  people: Generated<number>;
}

export interface Database {
  contest: ContestTable;
  contest_participant: ContestParticipantTable;
  contest_entry: ContestEntryTable;
  contest_item: ContestItemTable;
  contest_group: ContestGroupTable;
  exam_site: ExamSiteTable;
  exam_room: ExamRoomTable;
  exam_seat: ExamSeatTable;
  exam_session: ExamSessionTable;
  exam_session_proctor: ExamSessionProctorTable;
  exam_roster: ExamRosterTable;
  exam_seat_photo: ExamSeatPhotoTable;
  contest_score_count: ContestScoreCountTable;
  contest_time_count: ContestTimeCountTable;
  rescue_team: RescueTeamTable;
  rescue_member: RescueMemberTable;
  rescue_cert_kind: RescueCertKindTable;
  rescue_cert: RescueCertTable;
  enforcement_unit: EnforcementUnitTable;
  enforcement_cert_kind: EnforcementCertKindTable;
  spot_schedule: SpotScheduleTable;
  spot_check: SpotCheckTable;
  spot_check_evaluator: SpotCheckEvaluatorTable;
  callout: CalloutTable;
  callout_member: CalloutMemberTable;
  town_plan: TownPlanTable;
  town_drill: TownDrillTable;
  evaluation_form: EvaluationFormTable;
  town_drill_evaluation: TownDrillEvaluationTable;
  rescue_finding: RescueFindingTable;
  notification_delivery: NotificationDeliveryTable;
  notification_cursor: NotificationCursorTable;
  retest_link: RetestLinkTable;
  person_wechat: PersonWechatTable;
  exam_person: ExamPersonTable;
  cockpit_enterprise: CockpitEnterpriseTable;
  cockpit_month: CockpitMonthTable;
  cockpit_worst: CockpitWorstTable;
  attempt_leave: AttemptLeaveTable;
  practice_position: PracticePositionTable;
  question_favorite: QuestionFavoriteTable;
  quiz_participant_photo: QuizParticipantPhotoTable;
  cert_sync_job: CertSyncJobTable;
  cert_sync_issue: CertSyncIssueTable;
  cert_sync_touched: CertSyncTouchedTable;
  notification: NotificationTable;
  emergency_plan: EmergencyPlanTable;
  drill: DrillTable;
  drill_member: DrillMemberTable;
  drill_inject: DrillInjectTable;
  drill_event: DrillEventTable;
  drill_photo: DrillPhotoTable;
  drill_file: DrillFileTable;
  question_media: QuestionMediaTable;
  evaluation_criterion: EvaluationCriterionTable;
  evaluation_sheet: EvaluationSheetTable;
  evaluation_score: EvaluationScoreTable;
  rectification: RectificationTable;
  certificate: CertificateTable;
  certificate_requirement: CertificateRequirementTable;
  cert_summary_enterprise: CertSummaryEnterpriseTable;
  cert_summary_region: CertSummaryRegionTable;
  cert_summary_month: CertSummaryMonthTable;
  job_state: JobStateTable;
  inspection: InspectionTable;
  onsite_quiz: OnsiteQuizTable;
  quiz_participant: QuizParticipantTable;
  follow_up: FollowUpTable;
  question: QuestionTable;
  question_version: QuestionVersionTable;
  question_pool: QuestionPoolTable;
  question_pool_size: QuestionPoolSizeTable;
  exam_template: ExamTemplateTable;
  exam: ExamTable;
  attempt: AttemptTable;
  attempt_item: AttemptItemTable;
  attempt_answer: AttemptAnswerTable;
  wrong_answer: WrongAnswerTable;
  course: CourseTable;
  regulation: RegulationTable;
  regulation_article: RegulationArticleTable;
  regulation_citation: RegulationCitationTable;
  content_review: ContentReviewTable;
  lesson: LessonTable;
  lesson_progress: LessonProgressTable;
  course_completion: CourseCompletionTable;
  training_record: TrainingRecordTable;
  course_assignment: CourseAssignmentTable;
  training_hours_rule: TrainingHoursRuleTable;
  region: RegionTable;
  industry: IndustryTable;
  enterprise: EnterpriseTable;
  person: PersonTable;
  user: UserTable;
  session: SessionTable;
  audit_log: AuditLogTable;
  rate_limit: RateLimitTable;
  study_rule: StudyRuleTable;
  study_session: StudySessionTable;
  study_active: StudyActiveTable;
  study_event: StudyEventTable;
  study_photo: StudyPhotoTable;
}

export type Region = Selectable<RegionTable>;
export type Enterprise = Selectable<EnterpriseTable>;
export type NewEnterprise = Insertable<EnterpriseTable>;
export type Person = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type User = Selectable<UserTable>;
