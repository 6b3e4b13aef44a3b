import { z } from "zod";

/**
 * Keyset paging, the one way lists page: a page is "the rows after (or before) this key", one index range however
 * deep the reader goes (OFFSET would scan every skipped row, up to millions). URLs carry `after` or `before`.
 */
export const PAGE_SIZE = 20;

export const PageParams = z.object({
  after: z.string().max(64).optional().catch(undefined),
  before: z.string().max(64).optional().catch(undefined),
});
export type PageParams = z.output<typeof PageParams>;

export interface Page<R> {
  rows: R[];
  next: string | null;
  prev: string | null;
}

export const pageParamsOf = (url: URL): PageParams =>
  PageParams.parse({
    after: url.searchParams.get("after") ?? undefined,
    before: url.searchParams.get("before") ?? undefined,
  });

/** A link to the next/previous page that keeps the list's filters. */
export function pageLink(search: URLSearchParams, key: "after" | "before", value: string): string {
  const s = new URLSearchParams(search);
  s.delete("after");
  s.delete("before");
  s.delete("page");
  s.set(key, value);
  return `?${s.toString()}`;
}
