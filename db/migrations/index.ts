import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation";

/** Every migration, in order. A static list bundles and type-checks, unlike a folder scan. */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
};
