/**
 * db/types.ts is written by hand; this test keeps it true. It reads the migrated schema from information_schema and
 * the `Database` interface with the TypeScript compiler, and compares tables, columns and nullability. A migration
 * without its types (or types without a migration) fails `npm test`.
 */
import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import "../support/database";
import { sql } from "kysely";
import { db } from "../../app/lib/db.server";

type Columns = Map<string, { nullable: boolean }>;

function declaredSchema(): Map<string, Columns> {
  const file = ts.createSourceFile("types.ts", readFileSync("db/types.ts", "utf8"), ts.ScriptTarget.ES2022, true);
  const own = new Map<string, { members: readonly ts.TypeElement[]; bases: string[] }>();
  file.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) {
      const bases = (node.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t.expression.getText(file)));
      own.set(node.name.text, { members: node.members, bases });
    }
    if (ts.isTypeAliasDeclaration(node) && ts.isTypeLiteralNode(node.type))
      own.set(node.name.text, { members: node.type.members, bases: [] });
  });
  // An interface's columns include those of the interfaces it extends (shared counters of summary tables).
  const membersOf = (name: string): readonly ts.TypeElement[] => {
    const shape = own.get(name);
    return shape ? [...shape.bases.flatMap(membersOf), ...shape.members] : [];
  };
  const shapes = new Map([...own.keys()].map((name) => [name, membersOf(name)]));
  const tables = new Map<string, Columns>();
  for (const member of shapes.get("Database") ?? []) {
    if (!ts.isPropertySignature(member) || !member.type || !ts.isTypeReferenceNode(member.type)) continue;
    const columns: Columns = new Map();
    for (const column of shapes.get(member.type.typeName.getText(file)) ?? []) {
      if (!ts.isPropertySignature(column) || !column.type) continue;
      // `null` anywhere in the column's type (Generated<Date | null>, string | null) means the column may be NULL.
      columns.set(column.name.getText(file), { nullable: /\bnull\b/.test(column.type.getText(file)) });
    }
    tables.set(member.name.getText(file), columns);
  }
  return tables;
}

async function migratedSchema(): Promise<Map<string, Columns>> {
  const rows = await sql<{ table_name: string; column_name: string; is_nullable: string }>`
    SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, IS_NULLABLE AS is_nullable
    FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'kysely_migration%'`.execute(
    db,
  );
  const tables = new Map<string, Columns>();
  for (const r of rows.rows) {
    if (!tables.has(r.table_name)) tables.set(r.table_name, new Map());
    tables.get(r.table_name)!.set(r.column_name, { nullable: r.is_nullable === "YES" });
  }
  return tables;
}

describe("db/types.ts matches the migrated schema", () => {
  it("has the same tables, columns and nullability", async () => {
    const declared = declaredSchema();
    const migrated = await migratedSchema();
    expect(declared.size).toBeGreaterThan(40);
    expect([...declared.keys()].sort()).toEqual([...migrated.keys()].sort());
    const drift: string[] = [];
    for (const [table, columns] of migrated) {
      const typed = declared.get(table)!;
      for (const [name, c] of columns) {
        const t = typed.get(name);
        if (!t) drift.push(`${table}.${name}: in the schema, not in db/types.ts`);
        else if (t.nullable !== c.nullable)
          drift.push(
            `${table}.${name}: ${c.nullable ? "nullable" : "NOT NULL"} in the schema, ${t.nullable ? "nullable" : "not nullable"} in db/types.ts`,
          );
      }
      for (const name of typed.keys())
        if (!columns.has(name)) drift.push(`${table}.${name}: in db/types.ts, not in the schema`);
    }
    expect(drift).toEqual([]);
  });
});
