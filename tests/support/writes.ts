import type { Kysely, KyselyPlugin, RootOperationNode } from "kysely";
import type { Pool } from "mysql2";
import { db } from "../../app/lib/db.server";
import type { Database } from "../../db/types";

const WRITE_NODES = new Set(["InsertQueryNode", "UpdateQueryNode", "DeleteQueryNode", "MergeQueryNode"]);
const WRITE_SQL = /^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE|ALTER|CREATE|DROP)\b/i;

/** A short name of a write statement: "insert into attempt", or the head of a raw statement. */
function describe(node: RootOperationNode): string | null {
  if (WRITE_NODES.has(node.kind)) {
    const n = node as unknown as {
      into?: { table: { identifier: { name: string } } };
      table?: { table: { identifier: { name: string } } };
      from?: { froms: { table?: { identifier: { name: string } } }[] };
    };
    const table = n.into?.table ?? n.table?.table ?? n.from?.froms[0]?.table;
    return `${node.kind.replace("QueryNode", "").toLowerCase()} ${table?.identifier.name ?? "?"}`;
  }
  if (node.kind === "RawNode") {
    const text = (node as unknown as { sqlFragments: readonly string[] }).sqlFragments.join("?");
    return WRITE_SQL.test(text) ? text.trim().slice(0, 60) : null;
  }
  return null;
}

/**
 * Run `fn` with every statement of the app's Kysely instance (transactions included) watched, and give back the
 * writes it made. Session bookkeeping (lucia, rate limits) goes through the raw pool and is not counted.
 */
export async function writesDuring(fn: () => Promise<unknown>): Promise<string[]> {
  await db.selectFrom("region").select("id").limit(1).execute(); // the process's handle exists from here on
  const holder = globalThis as unknown as { __anxunDb?: { db: Kysely<Database>; pool: Pool } };
  const real = holder.__anxunDb!;
  const writes: string[] = [];
  const recorder: KyselyPlugin = {
    transformQuery({ node }) {
      const w = describe(node);
      if (w) writes.push(w);
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  holder.__anxunDb = { ...real, db: real.db.withPlugin(recorder) };
  try {
    await fn();
  } catch {
    // Thrown responses (redirects, 403, 404) are answers too; what matters is what was written on the way.
  } finally {
    holder.__anxunDb = real;
  }
  return writes;
}
