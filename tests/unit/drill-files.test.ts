import { describe, expect, it } from "vitest";
import { drillFileName, sniffDrillFile } from "../../app/modules/drills/files";
import { RATING_SCALE } from "../../app/modules/drills/rating-scale";
import { combineRatings, RATING_CODES, RATING_LABELS, RATING_MEANINGS, RATINGS } from "../../app/modules/drills/rules";

describe("drill files are known by their bytes", () => {
  it("takes PDF, Word (doc, docx) and JPG/PNG/WebP pictures, nothing else", () => {
    expect(sniffDrillFile(Buffer.from("%PDF-1.7\n..."))?.contentType).toBe("application/pdf");
    expect(sniffDrillFile(Buffer.from("d0cf11e0a1b11ae1000000000000", "hex"))?.ext).toBe("doc");
    const docx = Buffer.concat([Buffer.from("504b0304", "hex"), Buffer.alloc(26), Buffer.from("word/document.xml")]);
    expect(sniffDrillFile(docx)?.ext).toBe("docx");
    const xlsx = Buffer.concat([Buffer.from("504b0304", "hex"), Buffer.alloc(26), Buffer.from("xl/workbook.xml")]);
    expect(sniffDrillFile(xlsx)).toBeNull();
    expect(sniffDrillFile(Buffer.from("ffd8ffe000104a4649460001", "hex"))?.contentType).toBe("image/jpeg");
    expect(sniffDrillFile(Buffer.from("GIF89a......"))).toBeNull();
    expect(sniffDrillFile(Buffer.from("<svg onload=alert(1)>"))).toBeNull();
    expect(sniffDrillFile(Buffer.from("<html><script></script></html>"))).toBeNull();
    expect(sniffDrillFile(Buffer.from("%PDF"))).toBeNull();
  });

  it("keeps the uploaded name without paths or quotes, ending in the extension the bytes showed", () => {
    expect(drillFileName("演练方案.pdf", "pdf")).toBe("演练方案.pdf");
    expect(drillFileName("C:\\Users\\a\\任务卡.docx", "pdf")).toBe("任务卡.pdf");
    expect(drillFileName('../"x<y>".png', "png")).toBe("xy.png");
    expect(drillFileName("", "jpg")).toBe("附件.jpg");
    expect(drillFileName("a".repeat(300) + ".pdf", "pdf")).toHaveLength(104);
  });
});

describe("the rating scale is data", () => {
  it("shows 优/良/中/差 for the stored codes, best first, and combines by the scale's scores", () => {
    expect(RATING_CODES).toEqual(["P", "S", "M", "U"]);
    expect(RATING_CODES.map((r) => RATING_LABELS[r])).toEqual(["优", "良", "中", "差"]);
    expect(RATING_MEANINGS.P).toMatch(/^优（/);
    expect(RATINGS).toEqual(Object.fromEntries(RATING_SCALE.map((r) => [r.code, r.score])));
    expect(combineRatings(["P", "M"])).toEqual({ score: 3, rating: "S" });
    // No label shown to users is an HSEEP letter.
    for (const r of RATING_SCALE) expect(`${r.label}${r.meaning}`).not.toMatch(/[PSMU]/);
  });
});
