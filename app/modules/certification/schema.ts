import { optionalStrictDate, optionalText, strictDate, z } from "../../lib/validation";
import { OPERATION_CATALOGUE } from "./catalogue";

const date = strictDate;
const optionalDate = optionalStrictDate;

export const CertificateInput = z
  .object({
    kind: z.enum(["principal_manager", "special_operation", "special_equipment"], { error: "请选择证书类型" }),
    category: optionalText(64),
    item: optionalText(64),
    number: z.string({ error: "请填写证书编号" }).trim().min(4, "请填写证书编号").max(64),
    authority: optionalText(128),
    firstIssuedOn: optionalDate("初领日期"),
    validFrom: date("有效期开始"),
    expiresOn: date("有效期结束"),
    reviewDueOn: optionalDate("应复审日期"),
    lastReviewedOn: optionalDate("实际复审日期"),
  })
  .superRefine((v, ctx) => {
    if (v.expiresOn <= v.validFrom)
      ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "有效期结束须晚于开始" });
    if (v.reviewDueOn && (v.reviewDueOn < v.validFrom || v.reviewDueOn > v.expiresOn))
      ctx.addIssue({ code: "custom", path: ["reviewDueOn"], message: "应复审日期须在有效期内" });
    if (v.kind === "special_operation") {
      if (!v.category || !OPERATION_CATALOGUE[v.category])
        ctx.addIssue({ code: "custom", path: ["category"], message: "请选择特种作业目录中的作业类别" });
      else if (!v.item || !OPERATION_CATALOGUE[v.category].includes(v.item))
        ctx.addIssue({ code: "custom", path: ["item"], message: `准操项目须是「${v.category}」下的项目` });
    }
  });
export type CertificateInput = z.output<typeof CertificateInput>;
