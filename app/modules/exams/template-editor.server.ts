import { data } from "@remix-run/node";
import { invalid, readFields } from "../../lib/forms.server";
import { httpError } from "../../lib/http";
import { FormLimitError, nestedForm, parseInput } from "../../lib/validation";
import type { Actor } from "../auth/policy";
import { db } from "../../lib/db.server";
import { describeRule, ruleAvailability } from "./draw.server";
import { saveTemplate } from "./exams.server";
import { PaperRuleSchema, TemplateInput } from "./schema";
import { z } from "../../lib/validation";

/**
 * The template editor's action: `check` answers how many questions each rule can draw from (live, as the
 * officer edits); `save` refuses a template the bank cannot serve, then saves it.
 */
export async function templateEditorAction(
  request: Request,
  actor: Actor,
  id: number | null,
  enterpriseId: number | null,
  ip: string,
) {
  const flat = await readFields(request);
  let values: Record<string, unknown>;
  try {
    values = nestedForm(flat);
  } catch (error) {
    if (error instanceof FormLimitError) httpError(413, error.message);
    throw error;
  }
  const enterprise = enterpriseId
    ? ((await db
        .selectFrom("enterprise")
        .select(["id", "industry_code as industry"])
        .where("id", "=", enterpriseId)
        .executeTakeFirst()) ?? null)
    : null;
  if (values.intent === "check") {
    const rules = z.array(PaperRuleSchema).safeParse(values.rules);
    return data({ availability: rules.success ? await ruleAvailability(rules.data, enterprise) : undefined });
  }
  const parsed = parseInput(TemplateInput, values);
  if (!parsed.ok) return invalid(parsed.fieldErrors, parsed.formError ?? "请更正标出的内容后再提交。", flat);
  const availability = await ruleAvailability(parsed.data.rules, enterprise);
  const short = availability.map((a, i) => ({ a, i })).filter(({ a }) => a.shortFor.length);
  if (short.length) {
    return invalid(
      Object.fromEntries(
        short.map(({ a, i }) => [
          `rules.${i}.count`,
          `题库中${describeRule(parsed.data.rules[i])}最少只有 ${a.available} 道，不足 ${a.needed} 道`,
        ]),
      ),
      "有规则无法由题库满足，请减少题数或放宽条件。",
      flat,
    );
  }
  return { ok: true as const, id: await saveTemplate(actor, id, enterpriseId, parsed.data, ip) };
}
