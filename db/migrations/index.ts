import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation";
import * as m0002 from "./0002_courses";

/** Every migration, in order. A static list bundles and type-checks, unlike a folder scan. */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_courses": m0002,
};
