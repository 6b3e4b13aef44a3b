import { renderDocument } from "../app/modules/documents/render.server";
import fs from "node:fs";
const png = fs.readFileSync("node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf.png");
const t0 = Date.now();
const r = await renderDocument({ title: "成绩单", subtitle: "安全生产知识考试", unit: "安澜宏达化工有限公司", number: "CJD-2026-000001", generatedAt: "2026-11-30 10:21", generatedBy: "王培训",
  footNote: "依据 AQ 8011-2023：本档案保存不少于 6 年。",
  blocks: [{ kind: "fields", pairs: [["姓名", "张三"], ["身份证号", "330102********1234"], ["岗位", "特种作业人员"], ["成绩", "92 分（合格）"], ["考试", "危险化学品安全"]] },
    { kind: "heading", text: "一、答题情况" },
    { kind: "table", columns: [{ title: "题号", width: 1, align: "center" }, { title: "题目", width: 8 }, { title: "作答", width: 2, align: "center" }, { title: "得分", width: 1.2, align: "center" }],
      rows: Array.from({ length: 80 }, (_, i) => [String(i + 1), "进入有限空间作业前，必须遵循的顺序是（ ）。".repeat(1 + (i % 3)), "B", "1/1"]) },
    { kind: "images", images: [{ bytes: png, caption: "照片 1 · 10:21 疏散" }, { bytes: png, caption: "照片 2" }, { bytes: new Uint8Array([1,2,3]), caption: "坏的" }] },
    { kind: "signatures", labels: ["考生签名", "监考人签名", "培训管理员", "日期"] }] });
console.log(Date.now() - t0, r.ok);
if (r.ok) fs.writeFileSync("/tmp/doc1.pdf", r.bytes);
process.exit(0);
