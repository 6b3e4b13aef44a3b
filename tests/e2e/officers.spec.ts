import ExcelJS from "exceljs";
import { readFile } from "node:fs/promises";
import { e2eSql, expect, hydrated, loginAs, test } from "./support";

const DESKTOP = { width: 1440, height: 900 };
const local = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);

test("an officer opens an exam roster, exports it, and schedules a 补考 for two people; a past window is refused", async ({
  page,
}) => {
  await page.setViewportSize(DESKTOP);
  const [exam] = await e2eSql(
    "SELECT id, template_id, enterprise_id FROM exam WHERE title = '2026 年度全员安全生产知识考试'",
  );
  // People who have not sat it (other specs may have: the officer takes this exam in the documents spec).
  const people = await e2eSql(
    `SELECT id FROM person WHERE enterprise_id = ? AND active = 1
      AND NOT EXISTS (SELECT 1 FROM attempt WHERE attempt.exam_id = ? AND attempt.person_id = person.id) ORDER BY id LIMIT 4`,
    [exam.enterprise_id, exam.id],
  );
  // Three people sat the exam earlier today: one passed, two failed (one of them twice).
  const graded = [
    [people[0].id, 1, 92, 1],
    [people[1].id, 1, 48, 0],
    [people[2].id, 1, 41, 0],
    [people[2].id, 2, 55, 0],
  ];
  for (const [personId, no, score, passed] of graded) {
    await e2eSql(
      `INSERT INTO attempt (template_id, exam_id, person_id, attempt_no, started_at, deadline_at, submitted_at, closed_by, score, passed, total_points)
      VALUES (?, ?, ?, ?, UTC_TIMESTAMP() - INTERVAL 3 HOUR, UTC_TIMESTAMP() - INTERVAL 2 HOUR, UTC_TIMESTAMP() - INTERVAL ${150 - Number(no) * 10} MINUTE, 'person', ?, ?, 100)`,
      [exam.template_id, exam.id, personId, no, score, passed],
    );
  }
  await loginAs(page, "officer");
  await page.goto("/exams");
  await page.getByRole("link", { name: "名单与成绩" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("名单与成绩");
  await hydrated(page);
  // One passed and two failed here, besides whatever earlier specs left on this exam.
  const [before] = await e2eSql(
    `SELECT COALESCE(SUM(p), 0) AS passed, COALESCE(SUM(f), 0) AS failed FROM (SELECT person_id, MAX(passed) = 1 AS p,
      (MAX(passed) = 0 AND SUM(submitted_at IS NULL) = 0) AS f FROM attempt WHERE exam_id = ? AND person_id NOT IN (?, ?, ?)
      GROUP BY person_id) t`,
    [exam.id, people[0].id, people[1].id, people[2].id],
  );
  await expect(page.getByTestId("count-passed")).toContainText(String(1 + Number(before.passed)));
  await expect(page.getByTestId("count-failed")).toContainText(String(2 + Number(before.failed)));
  await page.screenshot({ path: "test-results/exam-roster.png", fullPage: true });

  // The export downloads a real workbook with scores as numbers.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "导出成绩（Excel）" }).click(),
  ]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0];
  expect(sheet.getRow(1).getCell(4).value).toBe("最高分");
  const scores: unknown[] = [];
  sheet.eachRow((row, n) => {
    if (n > 1 && row.getCell(3).value !== "未参考") scores.push(row.getCell(4).value);
  });
  // (Other specs may have left sittings of their own on this exam.)
  expect(scores).toEqual(expect.arrayContaining([48, 55, 92]));

  // Only the ones who failed: choose two, first with a window already over (refused, nothing saved), then a good one.
  await page.getByRole("link", { name: /不合格/ }).click();
  await hydrated(page);
  // The two who failed here (another spec's failed sitting may be listed too).
  const failedNames = await e2eSql("SELECT name FROM person WHERE id IN (?, ?) ORDER BY id", [
    people[1].id,
    people[2].id,
  ]);
  const boxes = page.getByRole("checkbox", { name: /补考/ });
  await expect(boxes).toHaveCount(2 + Number(before.failed));
  const boxOf = (i: number) => page.getByRole("checkbox", { name: `选择 ${String(failedNames[i].name)} 补考` });
  await boxOf(0).check();
  await boxOf(1).check();
  const now = Date.now();
  await page.getByLabel("补考开始时间（北京时间）").fill(local(new Date(now - 3 * 86400_000)));
  await page.getByLabel("补考结束时间（北京时间）").fill(local(new Date(now - 2 * 86400_000)));
  await page.getByRole("button", { name: "安排补考并通知" }).click();
  await expect(page.getByText("补考结束时间已经过去").first()).toBeVisible();
  expect(await e2eSql("SELECT id FROM exam WHERE makeup_of = ?", [exam.id])).toHaveLength(0);

  await boxOf(0).check();
  await boxOf(1).check();
  await page.getByLabel("补考开始时间（北京时间）").fill(local(new Date(now + 86400_000)));
  await page.getByLabel("补考结束时间（北京时间）").fill(local(new Date(now + 3 * 86400_000)));
  await page.getByRole("button", { name: "安排补考并通知" }).click();
  await expect(page.getByRole("status")).toContainText("已安排补考");
  await expect(page.getByRole("link", { name: /（补考）/ })).toBeVisible();
  const [makeup] = await e2eSql("SELECT id FROM exam WHERE makeup_of = ?", [exam.id]);
  const named = await e2eSql("SELECT person_id FROM exam_person WHERE exam_id = ? ORDER BY person_id", [makeup.id]);
  expect(named.map((r) => r.person_id)).toEqual([people[1].id, people[2].id]);
  expect(
    await e2eSql("SELECT id FROM notification WHERE kind = 'makeup_exam' AND person_id IN (?, ?)", [
      people[1].id,
      people[2].id,
    ]),
  ).toHaveLength(2);
});

test("a regulator lands on the cockpit and follows the worst district down to a person; another region's export is refused", async ({
  page,
}) => {
  await page.setViewportSize(DESKTOP);
  await loginAs(page, "regulator");
  await expect(page.getByRole("heading", { name: /驾驶舱：安澜市/ })).toBeVisible();
  for (const k of ["cert", "hours", "newhire", "quiz", "drill"])
    await expect(page.getByTestId(`kpi-${k}`)).toBeVisible();
  await page.waitForTimeout(800); // let the chart draw before the picture
  await page.screenshot({ path: "test-results/cockpit.png", fullPage: true });

  // The ranking lists districts worst first on 持证率; the first one leads to its certification page.
  const worst = page.getByTestId("region-ranking").locator("tbody tr").first().getByRole("link").first();
  const district = (await worst.textContent())!.trim();
  await worst.click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(district);
  // Links navigate in the page (no reload): wait for each new address before reading it.
  const down = async () => {
    const before = page.url();
    await page
      .locator("main a[href^='/certification/region/'], main a[href^='/certification/enterprise/']")
      .filter({ hasNotText: "上一级" })
      .first()
      .click();
    await page.waitForURL((u) => u.href !== before);
    return page.url();
  };
  let url = await down();
  while (url.includes("/certification/region/")) url = await down();
  expect(url).toContain("/certification/enterprise/");
  await page.locator("main a[href^='/people/']").first().click();
  await expect(page).toHaveURL(/\/people\/\d+$/);

  // The inspector of 青山县 cannot export 滨江区's cockpit.
  const [binjiang] = await e2eSql("SELECT id FROM region WHERE name = '滨江区'");
  await page.context().clearCookies();
  await loginAs(page, "inspector2");
  const refused = await page.request.get(`/cockpit/export?regionId=${binjiang.id}`);
  expect(refused.status()).toBe(403);
  const own = await page.request.get("/cockpit/export");
  expect(own.status()).toBe(200);
});
