/**
 * Our metadata as tags, in Moodle XML <tags> and GIFT [tag:…] comments: post:<code>, industry:<code>, topic:<text>,
 * difficulty:<1-5>, regulation:<text>. The importers take them back out; any other tag is kept as a plain tag.
 */
import { INDUSTRIES, POSTS } from "../../org/labels";
import type { ExportQuestion, ImportedQuestion } from "./types";

/** Our metadata tags (see the header comment). */
const POST_CODES = new Set<string>(POSTS);
const INDUSTRY_CODES = new Set(INDUSTRIES.map((i) => i.code));

export function applyTags(q: ImportedQuestion, tags: string[]) {
  const plain: string[] = [];
  for (const tag of tags) {
    const m = /^(post|industry|topic|difficulty|regulation):(.*)$/s.exec(tag);
    const value = m?.[2].trim() ?? "";
    if (m && m[1] === "post" && POST_CODES.has(value)) {
      if (!(q.posts ??= []).includes(value)) q.posts.push(value);
    } else if (m && m[1] === "industry" && INDUSTRY_CODES.has(value)) {
      if (!(q.industries ??= []).includes(value)) q.industries.push(value);
    } else if (m && m[1] === "topic" && value && q.topic === undefined) {
      q.topic = value;
    } else if (m && m[1] === "regulation" && value && q.regulation === undefined) {
      q.regulation = value;
    } else if (m && m[1] === "difficulty" && /^[1-5]$/.test(value) && q.difficulty === undefined) {
      q.difficulty = Number(value);
    } else {
      plain.push(tag);
    }
  }
  if (plain.length) q.tags = plain;
}

export function tagsOf(q: ExportQuestion): string[] {
  return [
    ...(q.posts ?? []).map((p) => `post:${p}`),
    ...(q.industries ?? []).map((i) => `industry:${i}`),
    ...(q.topic ? [`topic:${q.topic}`] : []),
    ...(q.difficulty ? [`difficulty:${q.difficulty}`] : []),
    ...(q.regulation ? [`regulation:${q.regulation}`] : []),
  ];
}
