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

export interface PairKey<O> {
  /** The ordered column and its unique tie-breaker, both leading an index in this order ("drill_due_on", "id"). */
  columns: [first: string, second: string];
  of: (row: O) => [string | number, string | number];
  /** How each part of a key in a URL is checked: a day ("2026-11-30"), a whole number, or any short text. */
  kinds: [PairPart, PairPart];
}
type PairPart = "day" | "number" | "text";

const PAIR_SEPARATOR = "~";
const partOk: Record<PairPart, (v: string) => boolean> = {
  day: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v),
  number: (v) => /^\d{1,15}$/.test(v),
  text: (v) => v.length > 0 && !v.includes(PAIR_SEPARATOR),
};

/**
 * keysetPage for a list ordered by two columns (a value that repeats, then a unique id): the key in the URL is
 * "value~id", and a page is the rows after (or before) that pair, `a > x OR (a = x AND b > y)`, which the index on
 * (a, b) reads as ranges. A malformed key reads the first page.
 */
export async function keysetPageByPair<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  key: PairKey<O>,
  params: PageParams,
  size = PAGE_SIZE,
): Promise<Page<O>> {
  const parse = (v: string | undefined): [string | number, string | number] | undefined => {
    const parts = v?.split(PAIR_SEPARATOR);
    if (!parts || parts.length !== 2 || !parts.every((p, i) => partOk[key.kinds[i]](p))) return undefined;
    return parts.map((p, i) => (key.kinds[i] === "number" ? Number(p) : p)) as [string | number, string | number];
  };
  const encode = (row: O) => key.of(row).join(PAIR_SEPARATOR);
  const [a, b] = key.columns.map((c) => sql.ref(c));
  const beyond = (op: ">" | "<", [x, y]: [string | number, string | number]) =>
    query.where((eb) =>
      eb.or([
        eb(a as never, op, x as never),
        eb.and([eb(a as never, "=", x as never), eb(b as never, op, y as never)]),
      ]),
    );
  const before = parse(params.before);
  const after = before === undefined ? parse(params.after) : undefined;
  if (before !== undefined) {
    const rows = (
      await beyond("<", before)
        .orderBy(a as never, "desc")
        .orderBy(b as never, "desc")
        .limit(size + 1)
        .execute()
    ).reverse();
    const more = rows.length > size;
    const page = more ? rows.slice(1) : rows;
    return {
      rows: page,
      prev: more && page.length ? encode(page[0]) : null,
      next: page.length ? encode(page[page.length - 1]) : null,
    };
  }
  const rows = await (after ? beyond(">", after) : query)
    .orderBy(a as never, "asc")
    .orderBy(b as never, "asc")
    .limit(size + 1)
    .execute();
  const more = rows.length > size;
  const page = more ? rows.slice(0, size) : rows;
  return {
    rows: page,
    next: more ? encode(page[page.length - 1]) : null,
    prev: after !== undefined && page.length ? encode(page[0]) : null,
  };
}
