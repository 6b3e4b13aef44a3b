import { execFileSync } from "node:child_process";
import type { Download, Page } from "@playwright/test";
import { createConnection } from "mysql2/promise";
import { makeIdNumber } from "../../db/seed/identifiers";
import { expect, loginAs, test } from "./support";

test.use({ viewport: { width: 1440, height: 900 } });

const databaseUrl = () => {
  const url = new URL(process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
  url.pathname = `/${process.env.E2E_DATABASE ?? "anxun_e2e"}`;
  return url.toString();
};

/** Click a link that downloads, and read the PDF's text as a person's PDF reader would show it (pdftotext). */
async function downloadPdf(page: Page, click: () => Promise<void>) {
  const [download] = (await Promise.all([page.waitForEvent("download"), click()])) as [Download, void];
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const path = await download.path();
  const text = execFileSync("pdftotext", ["-layout", path!, "-"]).toString("utf8").replace(/\s+/g, "");
  expect(text).toMatch(/第1页共\d+页/);
  return text;
}

test("an officer downloads the transcript, the archive, the hours certificate and the drill report as PDFs", async ({
  page,
}) => {
  page.on("dialog", (d) => void d.accept());
  await loginAs(page, "officer");
  await page.goto("/exams");
  // 考试须知 first, then the confirmed start; 交卷 asks to confirm with the unanswered numbers.
  await page.getByRole("link", { name: "开始考试" }).first().click();
  await page.getByRole("button", { name: "开始考试" }).click();
  await page.getByRole("button", { name: "确认开始" }).click();
  await page.getByRole("button", { name: "交卷", exact: true }).click();
  await page.getByRole("button", { name: "确认交卷" }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+\/review$/);
  const transcript = await downloadPdf(page, () => page.getByRole("link", { name: "下载成绩单（PDF）" }).click());
  expect(transcript).toContain("考试成绩单");
  expect(transcript).toContain("安澜宏达化工有限公司");
  expect(transcript).toContain("考生签名");

  await page.goto("/people");
  await page.locator("table a[href^='/people/']").first().click();
  const archive = await downloadPdf(page, () => page.getByRole("link", { name: "下载培训档案（PDF）" }).click());
  for (const s of ["从业人员安全培训档案", "二、课程学习", "四、在线学习记录", "七、证书", "AQ8011-2023"])
    expect(archive).toContain(s);
  const hours = await downloadPdf(page, () => page.getByRole("link", { name: "下载本年度学时证明（PDF）" }).click());
  expect(hours).toContain("安全生产培训学时证明");
  await page.screenshot({ path: "test-results/documents-person.png" });

  const db = await createConnection(databaseUrl());
  const [rows] = await db.query(
    "SELECT d.id FROM drill d JOIN enterprise e ON e.id = d.enterprise_id WHERE e.name = '安澜宏达化工有限公司' AND d.status IN ('ended','closed') ORDER BY d.id LIMIT 1",
  );
  await db.end();
  const drillId = (rows as { id: number }[])[0].id;
  await page.goto(`/drills/${drillId}`);
  const report = await downloadPdf(page, () => page.getByRole("link", { name: "评估报告（PDF）" }).click());
  for (const s of ["应急演练评估报告", "三、关键响应时间", "六、现场照片", "评估组长签名"]) expect(report).toContain(s);
});

test("an inspector downloads the result sheet; a regulator syncs a region's certificates and works through the report", async ({
  page,
  browser,
}) => {
  await loginAs(page, "inspector");
  await page.getByRole("link", { name: "执法检查" }).click();
  await page.getByLabel("企业名称或统一社会信用代码").fill("宏达化工");
  await page.getByRole("button", { name: "查找企业" }).click();
  await page.getByRole("link", { name: "开始检查" }).first().click();
  await page.getByLabel("检查地点").fill("储罐区");
  await page.getByRole("button", { name: "开始检查" }).click();
  const sheet = await downloadPdf(page, () => page.getByRole("link", { name: "下载结果单（PDF）" }).click());
  for (const s of ["安全生产知识现场测验结果单", "安澜宏达化工有限公司", "储罐区", "企业负责人签名"])
    expect(sheet).toContain(s);

  const regulator = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await loginAs(regulator, "regulator");
  await regulator.getByRole("link", { name: "证书同步" }).click();
  await expect(regulator.getByRole("heading", { level: 1 })).toHaveText("证书数据同步");
  const csv = [
    "姓名,身份证号码,证书类型,作业类别,准操项目,证书编号,发证机关,初领日期,有效期开始,有效期结束,应复审日期,实际复审日期",
    `无此人,${makeIdNumber("339901", "1985-05-05", 7777)},特种作业操作证,电工作业,低压电工作业,T339900E2ESYNC1,安澜市应急管理局,,2024-05-01,2030-04-30,,`,
    "坏行,110105194912310029,特种作业操作证,电工作业,低压电工作业,T339900E2ESYNC2,,,2024-05-01,2030-04-30,,",
  ].join("\n");
  await regulator
    .getByLabel(/证书数据文件/)
    .setInputFiles({ name: "安澜市证书.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await regulator.getByRole("button", { name: "上传并开始同步" }).click();
  await expect(regulator).toHaveURL(/\/certification\/sync\/\d+$/);
  await expect(regulator.getByTestId("sync-status")).toHaveText("已完成", { timeout: 30_000 });
  await expect(regulator.getByTestId("sync-issues").getByRole("row")).toHaveCount(3);
  await expect(regulator.getByText("辖区内各企业的人员名册中没有此身份证号码")).toBeVisible();
  await regulator.screenshot({ path: "test-results/documents-sync-report.png", fullPage: true });
  const [excel] = await Promise.all([
    regulator.waitForEvent("download"),
    regulator.getByRole("link", { name: "下载问题清单（Excel）" }).click(),
  ]);
  expect(excel.suggestedFilename()).toMatch(/证书同步问题清单-\d+\.xlsx$/);
});
