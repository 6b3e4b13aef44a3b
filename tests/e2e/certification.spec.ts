import { readFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import { makeIdNumber } from "../../db/seed/identifiers";
import { expect, loginAs, test } from "./support";

// Demo ID numbers are derived from the person's sequence (db/seed/demo.ts); the test picks the special operator
// of 安澜宏达化工有限公司 whose certificate has expired and imports a new one for them.
const idOf = (seq: number) => makeIdNumber("339901", `${1970 + ((seq * 7) % 30)}-0${1 + (seq % 9)}-1${seq % 9}`, seq);

test("an officer imports certificates from Excel, sees the rate change, and a regulator drills down to the person", async ({
  page,
  browser,
}) => {
  await loginAs(page, "officer");
  await page.getByRole("link", { name: "持证", exact: true }).click();
  const before = await page.getByTestId("enterprise-rate").innerText();
  const name = (await page.getByRole("row").filter({ hasText: "已过期" }).first().getByRole("link").innerText()).trim();
  const personHref = await page
    .getByRole("row")
    .filter({ hasText: "已过期" })
    .first()
    .getByRole("link")
    .getAttribute("href");
  const personId = Number(personHref!.split("/").pop());

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("证书");
  ws.addRow([
    "姓名",
    "身份证号码",
    "证书类型",
    "作业类别",
    "准操项目",
    "证书编号",
    "发证机关",
    "初领日期",
    "有效期开始",
    "有效期结束",
    "应复审日期",
    "实际复审日期",
  ]);
  ws.addRow([
    name,
    idOf(personId),
    "特种作业操作证",
    "焊接与热切割作业",
    "熔化焊接与热切割作业",
    "T339900E2E0001",
    "安澜市应急管理局",
    "2026-01-05",
    "2026-01-05",
    "2032-01-04",
    "2029-01-04",
    "",
  ]);
  ws.addRow([
    "无此人",
    makeIdNumber("110105", "1980-01-01", 5),
    "特种作业操作证",
    "电工作业",
    "低压电工作业",
    "T339900E2E0002",
    "",
    "",
    "2026-01-05",
    "2032-01-04",
    "",
    "",
  ]);
  const file = Buffer.from(await wb.xlsx.writeBuffer());

  await page.getByRole("link", { name: "从 Excel 导入证书" }).click();
  await page.getByLabel("Excel 文件（.xlsx）").setInputFiles({
    name: "证书.xlsx",
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer: file,
  });
  await page.getByRole("button", { name: "检查文件" }).click();
  await expect(page.getByTestId("cert-valid")).toHaveText("1");
  await expect(page.getByTestId("cert-problems")).toHaveText("1");
  await expect(page.getByText("本企业人员名册中没有此人")).toBeVisible();
  await page.getByRole("button", { name: "仅导入有效的 1 行" }).click();
  await expect(page.getByRole("status")).toContainText("已导入 1 张证书");
  await page.getByRole("link", { name: "查看持证情况" }).click();
  await expect(page.getByTestId("enterprise-rate")).not.toHaveText(before);

  const regulator = await browser.newPage();
  await loginAs(regulator, "regulator");
  await regulator.getByRole("link", { name: "持证", exact: true }).click();
  await expect(regulator.getByRole("heading", { name: "持证率：安澜市" })).toBeVisible();
  await regulator.getByRole("link", { name: "滨江区" }).click();
  await regulator.getByRole("link", { name: "江南街道" }).click();
  await regulator.getByRole("link", { name: "安澜宏达化工有限公司" }).click();
  await regulator.getByRole("link", { name }).first().click();
  await expect(regulator.getByRole("heading", { name })).toBeVisible();
  await expect(regulator.getByText("T339900E2E0001")).toBeVisible();
  await regulator.close();
});

test("the officer downloads the editable ledger with full ID numbers; a regulator is offered only the masked one", async ({
  page,
  browser,
}) => {
  await loginAs(page, "officer");
  await page.getByRole("link", { name: "持证", exact: true }).click();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "导出可编辑台账（含完整身份证号码）" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("证书台账（可编辑）.xlsx");
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await readFile(await download.path())) as unknown as ArrayBuffer);
  const ids = (wb.worksheets[0].getColumn(2).values as string[]).slice(2);
  expect(ids.length).toBeGreaterThan(3);
  expect(ids.every((id) => /^\d{17}[\dX]$/.test(id))).toBe(true);

  const regulator = await browser.newPage();
  await loginAs(regulator, "regulator");
  await regulator.goto(page.url());
  await expect(regulator.getByRole("link", { name: "导出证书台账" })).toBeVisible();
  await expect(regulator.getByRole("button", { name: /可编辑台账/ })).toHaveCount(0);
  await regulator.close();
});
