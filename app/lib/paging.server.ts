import { sql, type SelectQueryBuilder } from "kysely";
import { PAGE_SIZE, type Page, type PageParams } from "./paging";

export interface PageKey<O> {
  /** The ordered, unique, indexed column ("person.id"). */
  column: string;
  of: (row: O) => string | number;
  numeric?: boolean;
}

/**
 * One page of `query` ordered by `key.column`: size + 1 rows are read to know whether another page follows.
 * A malformed key (a word where an id is expected) reads the first page rather than failing.
 */
export async function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  key: PageKey<O>,
  params: PageParams,
  size = PAGE_SIZE,
): Promise<Page<O>> {
  const parse = (v: string | undefined) =>
    v === undefined ? undefined : key.numeric ? (/^\d{1,15}$/.test(v) ? Number(v) : undefined) : v;
  const column = sql.ref(key.column);
  const before = parse(params.before);
  const after = before === undefined ? parse(params.after) : undefined;
  if (before !== undefined) {
    const rows = (
      await query
        .where(column as never, "<", before as never)
        .orderBy(column as never, "desc")
        .limit(size + 1)
        .execute()
    ).reverse();
    const more = rows.length > size;
    const page = more ? rows.slice(1) : rows;
    return {
      rows: page,
      prev: more && page.length ? String(key.of(page[0])) : null,
      next: page.length ? String(key.of(page[page.length - 1])) : null,
    };
  }
  let q = query.orderBy(column as never, "asc").limit(size + 1);
  if (after !== undefined) q = q.where(column as never, ">", after as never);
  const rows = await q.execute();
  const more = rows.length > size;
  const page = more ? rows.slice(0, size) : rows;
  return {
    rows: page,
    next: more ? String(key.of(page[page.length - 1])) : null,
    prev: after !== undefined && page.length ? String(key.of(page[0])) : null,
  };
}
