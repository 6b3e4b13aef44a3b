import { expect, loginAs, test } from "./support";

// Demo ID numbers: the seed builds them from a sequence (db/seed/demo.ts); the first enterprise's principal is
// person 1 and its first worker person 7. Recompute them here the same way.
import { makeIdNumber } from "../../db/seed/identifiers";
const idOf = (seq: number) => makeIdNumber("339901", `${1970 + ((seq * 7) % 30)}-0${1 + (seq % 9)}-1${seq % 9}`, seq);

test("an inspector issues a quiz, two phones join by the QR link and answer, and the board shows both results live", async ({
  page,
  phone,
}) => {
  await loginAs(page, "inspector");
  await page.getByRole("link", { name: "执法检查" }).click();
  await page.getByLabel("企业名称或统一社会信用代码").fill("宏达化工");
  await page.getByRole("button", { name: "查找企业" }).click();
  await page.getByRole("link", { name: "开始检查" }).first().click();
  await page.getByLabel("检查地点").fill("储罐区");
  await page.getByRole("button", { name: "开始检查" }).click();
  await page.getByLabel("主要负责人人数").fill("1");
  await page.getByLabel("安全生产管理人员人数").fill("0");
  await page.getByLabel("从业人员人数").fill("2");
  await page.getByRole("button", { name: "生成测验二维码" }).click();
  await expect(page.getByTestId("join-code")).toHaveText(/^\d{6}$/);
  await expect(page.locator(".qr svg")).toBeVisible();
  // The QR code encodes the same link the board shows.
  const qrLink = await page.getByTestId("join-link").getAttribute("href");
  expect(qrLink).toMatch(/\/q\/[A-Za-z0-9_-]{24}$/);
  const link = new URL(qrLink!).pathname;

  const answerAndHandIn = async (who: { name: string; idNumber: string }) => {
    const p = await joinAndHandIn(await phone(), link, who);
    await expect(p.getByText("解析：").first()).toBeVisible();
    return p;
  };
  // Person 1 is the principal, person 7 the first worker of 安澜宏达化工有限公司 in the demo seed.
  const principal = { name: await nameOf(page, 1), idNumber: idOf(1) };
  const worker = { name: await nameOf(page, 7), idNumber: idOf(7) };
  const first = await answerAndHandIn(principal);
  await first.screenshot({ path: "test-results/quiz-result-390.png", fullPage: true });
  await answerAndHandIn(worker);

  // The board, never reloaded, now lists both with their scores.
  const board = page.getByTestId("board");
  await expect(board.getByText(principal.name)).toBeVisible({ timeout: 10_000 });
  await expect(board.getByText(worker.name)).toBeVisible({ timeout: 10_000 });
  await expect(board.locator("tbody tr").filter({ hasText: /合格/ })).toHaveCount(2, { timeout: 10_000 });
  await expect(page.getByTestId("joined-count")).toHaveText("2");
});

test("a joiner whose typed name is not the roster's is 身份存疑 on the board, and the inspector voids the result with a reason", async ({
  page,
  phone,
}) => {
  await loginAs(page, "inspector");
  await page.getByRole("link", { name: "执法检查" }).click();
  await page.getByLabel("企业名称或统一社会信用代码").fill("宏达化工");
  await page.getByRole("button", { name: "查找企业" }).click();
  await page.getByRole("link", { name: "开始检查" }).first().click();
  await page.getByRole("button", { name: "开始检查" }).click();
  await page.getByLabel("主要负责人人数").fill("0");
  await page.getByLabel("安全生产管理人员人数").fill("0");
  await page.getByLabel("从业人员人数").fill("2");
  await page.getByRole("button", { name: "生成测验二维码" }).click();
  const link = new URL((await page.getByTestId("join-link").getAttribute("href"))!).pathname;
  const rosterName = await nameOf(page, 8);
  // 张三 answers with the ID number of person 8, a worker on file.
  await joinAndHandIn(await phone(), link, { name: "张三", idNumber: idOf(8) });

  const row = page.getByTestId("board").locator("tbody tr").filter({ hasText: rosterName });
  await expect(row).toContainText("扫码时输入姓名：张三", { timeout: 10_000 });
  await expect(row).toContainText("身份存疑");
  await expect(page.getByText("计入成绩 0 人")).toBeVisible();
  await page.screenshot({ path: "test-results/quiz-board-doubtful.png", fullPage: true });
  await row.getByText("作废成绩").click();
  await row.getByRole("button", { name: "作废" }).click();
  await expect(page.getByRole("alert")).toContainText("请填写作废原因");
  await page.getByLabel(`作废 ${rosterName} 成绩的原因`).fill("现场核实为他人代答");
  await page
    .getByTestId("board")
    .locator("tbody tr")
    .filter({ hasText: rosterName })
    .getByRole("button", { name: "作废" })
    .click();
  await expect(page.getByRole("status")).toContainText("该成绩已作废");
  await expect(page.getByTestId("board").locator("tbody tr").filter({ hasText: rosterName })).toContainText(
    "原因：现场核实为他人代答",
    { timeout: 10_000 },
  );
  // Closing with nobody answering needs no grace.
  await page.getByRole("button", { name: "结束测验" }).click();
  await expect(page.getByRole("form", { name: "确认结束测验" })).toContainText("没有人在答题");
  await page.getByRole("button", { name: "确认结束" }).click();
  await expect(page.getByRole("status")).toContainText("测验已结束");
});

/** Join a quiz on a phone as `who`, answer every question and hand in. */
async function joinAndHandIn(
  p: import("@playwright/test").Page,
  link: string,
  who: { name: string; idNumber: string },
) {
  await p.goto(link);
  await p.getByLabel("姓名").fill(who.name);
  await p.getByLabel("身份证号码").fill(who.idNumber);
  await p.getByRole("button", { name: "开始答题" }).click();
  const questions = p.locator("fieldset.question");
  await expect(questions).toHaveCount(10);
  for (let i = 0; i < 10; i++) await questions.nth(i).locator("label.choice").first().click();
  await expect(p.getByTestId("save-state")).toHaveText("已保存");
  await p.getByRole("button", { name: "交卷", exact: true }).click();
  await p.getByRole("button", { name: "确认交卷" }).click();
  await expect(p.getByTestId("score")).toBeVisible();
  return p;
}

/** A person's name from the people page (the inspector may read people in the district). */
async function nameOf(page: import("@playwright/test").Page, personId: number) {
  return page.evaluate(async (id) => {
    const html = await (await fetch(`/people/${id}`)).text();
    return new DOMParser().parseFromString(html, "text/html").querySelector("main h1")!.textContent!.trim();
  }, personId);
}
