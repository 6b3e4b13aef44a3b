import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation";
import * as m0002 from "./0002_courses";
import * as m0003 from "./0003_exams";
import * as m0004 from "./0004_inspections";
import * as m0005 from "./0005_certification";
import * as m0006 from "./0006_drills";
import * as m0007 from "./0007_records";
import * as m0008 from "./0008_security";
import * as m0009 from "./0009_interchange";
import * as m0010 from "./0010_regulations";
import * as m0011 from "./0011_notifications";
import * as m0012 from "./0012_join_photos";
import * as m0013 from "./0013_phone_shell";
import * as m0014 from "./0014_phone_exam";
import * as m0015 from "./0015_officers";
import * as m0016 from "./0016_cert_sync";
import * as m0018 from "./0018_rescue";
import * as m0019 from "./0019_contests_sites";
import * as m0020 from "./0020_drill_files";
import * as m0021 from "./0021_enforcement";
import * as m0022 from "./0022_sites_ranks";
import * as m0023 from "./0023_id_number_cipher";

/** Every migration, in order. A static list bundles and type-checks, unlike a folder scan. */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_courses": m0002,
  "0003_exams": m0003,
  "0004_inspections": m0004,
  "0005_certification": m0005,
  "0006_drills": m0006,
  "0007_records": m0007,
  "0008_security": m0008,
  "0009_interchange": m0009,
  "0010_regulations": m0010,
  "0011_notifications": m0011,
  "0012_join_photos": m0012,
  "0013_phone_shell": m0013,
  "0014_phone_exam": m0014,
  "0015_officers": m0015,
  "0016_cert_sync": m0016,
  "0018_rescue": m0018,
  "0019_contests_sites": m0019,
  "0020_drill_files": m0020,
  "0021_enforcement": m0021,
  "0022_sites_ranks": m0022,
  "0023_id_number_cipher": m0023,
};
