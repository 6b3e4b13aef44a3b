import { optionalStrictDate, requiredText, strictDate, z } from "../../lib/validation";

/** A 执法证 entered by the regulator for a person of one of their units; the dates follow the kind's rule. */
export const EnforcementCertInput = z.object({
  personId: z.coerce.number({ error: "请选择人员" }).int().positive("请选择人员"),
  number: requiredText("证件编号", 64).pipe(z.string().regex(/^[0-9A-Za-z-]+$/, "证件编号只能包含字母、数字和连字符")),
  validFrom: strictDate("发证日期"),
  firstIssuedOn: optionalStrictDate("首次发证日期"),
  authority: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(64).optional()),
});
export type EnforcementCertInput = z.output<typeof EnforcementCertInput>;

/** What a POST to a unit page does. */
export const UnitIntent = z.enum(["assign", "exam", "certificate"], { error: "未知的操作" });
