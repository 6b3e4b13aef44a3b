import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { indexEntries, type EntryIndex, type EntryRef } from "./citations";
import { RegistryEntry, RegistryFile } from "./schema";

export interface Registry {
  entries: (RegistryEntry & { supersededBy: string | null })[];
  index: EntryIndex;
}

/** Line of `code: x` in the file, so a problem points at its entry. */
function lineOf(source: string, needle: string): number {
  const i = source.split("\n").findIndex((l) => l.includes(needle));
  return i >= 0 ? i + 1 : 1;
}

/**
 * Read and check content/regulations.yaml. Problems come back as `file:line: reason`, all of them.
 * Superseding is declared on the newer entry (`supersedes`); each entry learns what replaces it here.
 */
export function readRegistry(contentDir: string): { registry: Registry; problems: string[] } {
  const file = path.join(contentDir, "regulations.yaml");
  const rel = "content/regulations.yaml";
  const problems: string[] = [];
  const source = readFileSync(file, "utf8");
  let doc: unknown;
  try {
    doc = parseYaml(source);
  } catch (e) {
    return {
      registry: { entries: [], index: new Map() },
      problems: [`${rel}: YAML 无法解析：${(e as Error).message}`],
    };
  }
  const top = RegistryFile.safeParse(doc);
  if (!top.success)
    return { registry: { entries: [], index: new Map() }, problems: [`${rel}:1: 应为 regulations: 列表`] };
  const entries: Registry["entries"] = [];
  for (const [i, raw] of top.data.regulations.entries()) {
    const code = (raw as { code?: unknown })?.code;
    const at = `${rel}:${typeof code === "string" ? lineOf(source, `code: ${code}`) : 1}`;
    const parsed = RegistryEntry.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      problems.push(`${at}: 第 ${i + 1} 条「${issue.path.join(".")}」有误：${issue.message}`);
      continue;
    }
    if (entries.some((e) => e.code === parsed.data.code)) problems.push(`${at}: code「${parsed.data.code}」重复`);
    else entries.push({ ...parsed.data, supersededBy: null });
  }
  const byCode = new Map(entries.map((e) => [e.code, e]));
  for (const e of entries) {
    for (const old of e.supersedes) {
      const target = byCode.get(old);
      if (!target) problems.push(`${rel}:${lineOf(source, `code: ${e.code}`)}: supersedes 中的「${old}」不在法规库中`);
      else if (target.supersededBy)
        problems.push(`${rel}:${lineOf(source, `code: ${e.code}`)}: 「${old}」已被「${target.supersededBy}」取代`);
      else target.supersededBy = e.code;
    }
  }
  return { registry: { entries, index: indexEntries(entries.map(toRef)) }, problems };
}

export const toRef = (e: Registry["entries"][number]): EntryRef => ({
  code: e.code,
  name: e.name,
  aliases: e.aliases,
  number: e.number ?? null,
  articleCount: e.article_count ?? null,
  supersededBy: e.supersededBy,
});

let cached: Registry | undefined;

/** The shipped registry, read once per process (it changes only with a deploy). Throws on a broken file. */
export function registry(contentDir = path.resolve("content")): Registry {
  if (cached) return cached;
  const { registry: r, problems } = readRegistry(contentDir);
  if (problems.length) throw new Error(`Regulation registry problems:\n  ${problems.join("\n  ")}`);
  cached = r;
  return r;
}
