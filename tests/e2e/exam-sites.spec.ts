import { e2eSql, expect, hydrated, loginAs, logout, test } from "./support";
import { makeIdNumber } from "../../db/seed/identifiers";

// Demo people of the first enterprise (滨江区), numbered as db/seed numbers them.
const idOf = (seq: number) => makeIdNumber("339901", `${1970 + ((seq * 7) % 30)}-0${1 + (seq % 9)}-1${seq % 9}`, seq);
const SHOTS = "test-results/exam-sites";

test("a regulator creates a site, a camera room and a session with roster and proctor; the proctor sees the seat photos", async ({
  page,
  phone,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const stamp = String(Date.now()).slice(-6);
  const siteName = `江滨考试中心${stamp}`;
  await loginAs(page, "regulator");
  await page.goto("/exam-sites");
  await hydrated(page);
  await page.getByRole("link", { name: "新建考试点" }).click();
  await hydrated(page);
  await page.getByLabel("考试点名称").fill(siteName);
  await page.getByLabel("地址").fill("滨江区江滨路 18 号");
  await page.getByLabel("所在区域").selectOption({ label: "安澜市 / 滨江区" });
  await page.getByRole("button", { name: "保存并添加考场" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(siteName);
  await hydrated(page);

  const addRoom = page.locator("form", { has: page.getByRole("button", { name: "添加考场并生成座位" }) });
  await addRoom.getByLabel("考场名称").fill("一号机房");
  await addRoom.getByLabel("座位数").fill("6");
  await addRoom.getByLabel("座位号前缀").fill("K");
  await addRoom.getByLabel(/开启摄像头/).check();
  await addRoom.getByRole("button", { name: "添加考场并生成座位" }).click();
  await expect(page.getByRole("status")).toContainText("已生成 6 个座位");
  await expect(page.getByText("座位 K01 – K06")).toBeVisible();

  const plan = page.locator("form", { has: page.getByRole("button", { name: /安排考试/ }) });
  await plan.getByLabel("考试名称").fill(`焊工复审理论考试 ${stamp}`);
  await plan.getByLabel("试卷模板").selectOption({ index: 1 });
  await plan.getByLabel("考试时长（分钟）").fill("60");
  await page.screenshot({ path: `${SHOTS}/site-1440.png`, fullPage: true });
  await plan.getByRole("button", { name: /安排考试/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`焊工复审理论考试 ${stamp}`);
  await hydrated(page);

  await page.getByLabel("身份证号码（每行一个）").fill(`${idOf(5)}\n${idOf(6)}`);
  await page.getByRole("button", { name: "加入名单" }).click();
  await expect(page.getByRole("status")).toContainText("已加入 2 人");
  await page.getByRole("checkbox", { name: /滨江区执法大队 王检查/ }).check();
  await page.getByRole("button", { name: "保存监考人员" }).click();
  await expect(page.getByRole("status")).toContainText("监考人员已保存");
  await expect(page.getByRole("checkbox", { name: /滨江区执法大队 王检查/ })).toBeChecked();
  await page.screenshot({ path: `${SHOTS}/plan-1440.png`, fullPage: true });
  const sessionUrl = page.url().replace(/\/plan$/, "");
  const recent = (
    await e2eSql("SELECT action FROM audit_log WHERE action LIKE 'exam\\_%' ORDER BY id DESC LIMIT 10")
  ).map((r) => r.action);
  for (const a of [
    "exam_site.created",
    "exam_room.created",
    "exam_session.scheduled",
    "exam_session.roster_added",
    "exam_session.proctors",
  ])
    expect(recent).toContain(a);
  await logout(page);

  // The proctor checks one examinee in with a photo and starts; the seat terminal takes its photo.
  await loginAs(page, "inspector");
  await page.goto(new URL(sessionUrl).pathname);
  await hydrated(page);
  // A real picture for the thumbnails: a capture of part of this page.
  const picture = await page.screenshot({ clip: { x: 0, y: 0, width: 240, height: 240 } });
  await page.getByLabel("身份证号码").fill(idOf(5));
  await page.getByRole("combobox", { name: "座位", exact: true }).selectOption({ label: "K01" });
  await page
    .getByLabel("考生照片（座位摄像头）")
    .setInputFiles({ name: "k01.png", mimeType: "image/png", buffer: picture });
  await page.getByRole("button", { name: "签到并绑定座位" }).click();
  await expect(page.locator('.seat[data-seat="K01"] .status')).toHaveText("已签到");
  const seatLink = await page.getByRole("status").getByRole("link").getAttribute("href");
  const seat = await phone();
  await seat.goto(seatLink!);
  await hydrated(seat);
  await seat.getByLabel("座位照片").setInputFiles({ name: "seat.png", mimeType: "image/png", buffer: picture });
  await seat.getByRole("button", { name: "拍摄并上传" }).click();
  await expect(seat.getByText("已拍摄 1 张")).toBeVisible();

  await page.reload();
  await hydrated(page);
  const k01 = page.locator('.seat[data-seat="K01"]');
  await expect(k01.getByRole("img", { name: /签到照片/ })).toBeVisible();
  await expect(k01.getByRole("img", { name: /座位照片/ })).toBeVisible();
  // Both thumbnails loaded (the photo route answered the proctor with the image).
  for (const img of await k01.locator("img").all())
    expect(await img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0)).toBe(true);
  await k01.getByRole("button", { name: "存疑" }).click();
  await expect(page.getByRole("status")).toContainText("已标记为存疑");
  await expect(k01.locator(".identity")).toContainText("存疑");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/console-photos-1440.png` });

  // Once started, the regulator's edits of the plan are refused with a clear message.
  await page.getByRole("button", { name: "开始考试" }).click();
  await expect(page.locator(".proctor-state .badge")).toHaveText("考试中");
  await logout(page);
  await loginAs(page, "regulator");
  await page.goto(`${new URL(sessionUrl).pathname}/plan`);
  await hydrated(page);
  await expect(page.getByRole("note")).toContainText("本场考试已经开始或已结束");
  await expect(page.getByRole("button", { name: "加入名单" })).toHaveCount(0);
});
