import type { Page } from "@playwright/test";
import { e2eSql, expect, hydrated, loginAs, test } from "./support";
import { makeIdNumber } from "../../db/seed/identifiers";

// Demo people 1–8 of the first enterprise are on the roster of the demo exam session (db/seed/contests.ts).
const idOf = (seq: number) => makeIdNumber("339901", `${1970 + ((seq * 7) % 30)}-0${1 + (seq % 9)}-1${seq % 9}`, seq);
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9,
]);
const SHOTS = "test-results/contests";

/** Answer every question of one entry on a phone: first option (or 正确), then 下一题, until the result shows. */
async function playThrough(p: Page) {
  for (let i = 0; i < 40; i++) {
    if (await p.getByRole("heading", { name: "本次答题完成" }).isVisible()) return;
    const next = p.getByRole("button", { name: /下一题|开始第 1 题|查看成绩/ });
    if ((await next.isVisible()) && (await next.isEnabled())) {
      await next.click();
      await expect(
        p.getByRole("button", { name: "提交答案" }).or(p.getByRole("heading", { name: "本次答题完成" })),
      ).toBeVisible();
      continue;
    }
    const submit = p.getByRole("button", { name: "提交答案" });
    if (await submit.isVisible()) {
      const options = p.locator(".contest-options label");
      await options.first().click();
      if (await p.locator(".contest-options input[type=checkbox]").count()) await options.nth(1).click();
      await submit.click();
      await expect(p.locator(".contest-feedback, .contest-done").first()).toBeVisible();
      continue;
    }
    await p.waitForTimeout(200);
  }
  throw new Error("the entry did not finish");
}

test("a regulator's contest: three phones join without accounts, the board is live, a second entry the same day is refused", async ({
  page,
  phone,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await loginAs(page, "regulator");
  await page.getByRole("link", { name: "知识竞赛" }).click();
  await hydrated(page);
  await page.getByLabel("竞赛名称").fill("滨江区危化品安全知识竞赛");
  await page.getByLabel("单选题（道）").fill("2");
  await page.getByLabel("多选题（道）").fill("0");
  await page.getByLabel("判断题（道）").fill("1");
  await page.getByRole("button", { name: "创建竞赛" }).click();
  await expect(page.getByRole("heading", { name: "滨江区危化品安全知识竞赛" })).toBeVisible();
  await hydrated(page);
  const link = new URL((await page.locator(".contest-join code").textContent())!).pathname;
  expect(link).toMatch(/^\/c\/[A-Za-z0-9_-]{20}$/);

  const people = [
    ["陈静", "13812340001"],
    ["刘洋", "13812340002"],
    ["黄磊", "13812340003"],
  ] as const;
  const phones: Page[] = [];
  for (const [i, [name, number]] of people.entries()) {
    const p = await phone();
    await p.goto(link);
    await hydrated(p);
    await p.getByLabel("姓名").fill(name);
    await p.getByLabel(/手机号码/).fill(number);
    await p.getByLabel("所在区县").selectOption({ index: 1 + (i % 3) });
    if (i === 0) await p.screenshot({ path: `${SHOTS}/contest-join-390.png` });
    await p.getByRole("button", { name: "报名参赛" }).click();
    await expect(p.getByText("完成一次答题后进入排行榜")).toBeVisible();
    await hydrated(p);
    await p.getByRole("button", { name: "开始答题" }).click();
    await expect(p.getByRole("button", { name: "提交答案" })).toBeVisible();
    if (i === 0) await p.screenshot({ path: `${SHOTS}/contest-question-390.png` });
    await playThrough(p);
    phones.push(p);
  }
  // The organizer's board updates by itself (polling) with all three.
  await expect(page.locator(".contest-boards-wide .contest-board").first().locator("li")).toHaveCount(3, {
    timeout: 10_000,
  });
  await expect(page.locator(".contest-boards-wide")).toContainText("陈静");
  await page.screenshot({ path: `${SHOTS}/contest-admin-1440.png`, fullPage: true });

  // Back on the first phone: the live board with "my rank", and no second entry today.
  const first = phones[0];
  await first.goto(link);
  await hydrated(first);
  await expect(first.locator(".contest-board li")).toHaveCount(3);
  await expect(first.getByText(/^第 \d 名/)).toBeVisible();
  await expect(first.getByRole("status")).toHaveText(/今天的次数已用完/);
  await expect(first.getByRole("button", { name: "开始答题" })).toHaveCount(0);
  await first.screenshot({ path: `${SHOTS}/contest-board-390.png`, fullPage: true });
  // A second entry forced by a direct post is refused on the server too, with nothing started.
  const refused = await first.request.post(`${link}/play`, {
    form: { intent: "start" },
    headers: { origin: new URL(first.url()).origin },
  });
  expect(refused.status()).toBe(409);
  const entries = await e2eSql(
    "SELECT COUNT(*) AS n FROM contest_entry e JOIN contest_participant p ON p.id = e.participant_id WHERE p.ident_masked = '138****0001'",
  );
  expect(Number(entries[0].n)).toBe(1);
  await first.getByRole("link", { name: "查看参赛证书" }).click();
  await expect(first.getByRole("heading", { name: "参赛证书" })).toBeVisible();
  await first.screenshot({ path: `${SHOTS}/contest-certificate-390.png`, fullPage: true });
});

test("a proctored session: check-in at seats, one seat extended, one voided, paused and resumed with the deadlines right on the server", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await loginAs(page, "inspector");
  await page.getByRole("link", { name: "考试点" }).click();
  await page.getByRole("link", { name: /电工作业/ }).click();
  await hydrated(page);
  for (const [seq, seat] of [
    [1, "A01"],
    [2, "A02"],
    [3, "A03"],
    [4, "A05"],
  ] as const) {
    await page.getByLabel("身份证号码").fill(idOf(seq));
    await page.getByRole("combobox", { name: "座位", exact: true }).selectOption({ label: seat });
    await page
      .getByLabel("考生照片（座位摄像头）")
      .setInputFiles({ name: "seat.jpg", mimeType: "image/jpeg", buffer: JPEG });
    await page.getByRole("button", { name: "签到并绑定座位" }).click();
    // The seat shows the person once this check-in (not the previous one) is back; the form is then reset.
    await expect(page.locator(`.seat[data-seat="${seat}"] .status`)).toHaveText("已签到");
    await expect(page.getByLabel("身份证号码")).toHaveValue("");
  }
  await page.getByRole("button", { name: "开始考试" }).click();
  await expect(page.locator('.seat[data-seat="A01"] .status')).toHaveText(/作答中 0\/90/);

  const pick = async (form: string, seat: string) => {
    const f = page.locator("form", { has: page.getByRole("button", { name: form }) });
    const value = await f
      .locator("select")
      .evaluate(
        (s: HTMLSelectElement, label) => [...s.options].find((o) => o.text.includes(`（${label}）`))!.value,
        seat,
      );
    await f.locator("select").selectOption(value);
    return f;
  };
  const extend = await pick("延长时间", "A02");
  await extend.getByLabel("延时（分钟）").fill("10");
  await extend.getByLabel("原因").fill("考生视力障碍，按规定延时");
  await extend.getByRole("button", { name: "延长时间" }).click();
  await expect(page.getByRole("status")).toContainText("已延时 10 分钟");
  const voidForm = await pick("作废本场考试", "A03");
  await voidForm.locator("#void-reason").fill("携带手机作弊");
  await voidForm.getByRole("button", { name: "作废本场考试" }).click();
  await expect(page.locator('.seat[data-seat="A03"] .status')).toHaveText("已作废");

  await page.getByLabel("暂停原因").fill("考场停电");
  await page.getByRole("button", { name: "全场暂停" }).click();
  await expect(page.locator(".proctor-state .badge")).toHaveText("已暂停");
  await expect(page.locator('.seat[data-seat="A01"] .status')).toHaveText(/已暂停/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/proctor-paused-1440.png` });
  await page.waitForTimeout(3000);
  await page.getByRole("button", { name: /恢复考试/ }).click();
  await expect(page.getByRole("status")).toContainText("已为每位考生补回暂停的");
  await expect(page.locator(".proctor-state .badge")).toHaveText("考试中");

  // Right after the resume, on the server: every open paper's deadline is its start + 120 min (+ extension) + the pause.
  const rows =
    await e2eSql(`SELECT s.label, a.started_at, a.deadline_at, a.paused_at, a.submitted_at, a.closed_by, r.void_reason, x.paused_ms
    FROM exam_roster r JOIN exam_seat s ON s.id = r.seat_id JOIN attempt a ON a.id = r.attempt_id JOIN exam_session x ON x.id = r.session_id ORDER BY s.label`);
  const by = Object.fromEntries(rows.map((r) => [r.label as string, r]));
  const pausedMs = Number(by.A01.paused_ms);
  expect(pausedMs).toBeGreaterThanOrEqual(3000);
  const expectDeadline = (label: string, extraMinutes: number) => {
    const r = by[label];
    const want = new Date(r.started_at as string).getTime() + (120 + extraMinutes) * 60_000 + pausedMs;
    expect(Math.abs(new Date(r.deadline_at as string).getTime() - want)).toBeLessThan(1000);
    expect(r.paused_at).toBeNull();
  };
  expectDeadline("A01", 0);
  expectDeadline("A02", 10);
  expectDeadline("A05", 0);
  expect(by.A03).toMatchObject({ closed_by: "inspector", void_reason: "携带手机作弊" });
  await expect(page.locator('.seat[data-seat="A02"]')).toContainText("延时 10 分");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/proctor-console-1440.png` });
  await page.getByRole("link", { name: "签到表 / 考场报告" }).click();
  await expect(page.getByRole("heading", { name: /考生签到表/ })).toBeVisible();
  await expect(page.getByText("携带手机作弊")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/proctor-sheet-1440.png`, fullPage: true });
});
