import { makeIdNumber } from "../../db/seed/identifiers";
import { e2eSql, expect, loginAs, test } from "./support";

// A quiz whose inspector asked for a photo at join: the phone's camera picture (here a 4000×3000 JPEG of several MB)
// is shrunk in the browser, sent with the join, kept with the participant and shown on the inspector's board.

test("a phone joins with a photo, shrunk before upload, and the board shows it", async ({ page, phone }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await loginAs(page, "inspector");
  await page.getByRole("link", { name: "执法检查" }).click();
  await page.getByLabel("企业名称或统一社会信用代码").fill("宏达化工");
  await page.getByRole("button", { name: "查找企业" }).click();
  await page.getByRole("link", { name: "开始检查" }).first().click();
  await page.getByLabel("检查地点").fill("装卸区");
  await page.getByRole("button", { name: "开始检查" }).click();
  await page.getByLabel("主要负责人人数").fill("0");
  await page.getByLabel("安全生产管理人员人数").fill("0");
  await page.getByLabel("从业人员人数").fill("2");
  await page.getByLabel(/加入时拍照/).check();
  await page.getByRole("button", { name: "生成测验二维码" }).click();
  await expect(page.getByText("加入时拍照", { exact: true })).toBeVisible();
  const link = new URL((await page.getByTestId("join-link").getAttribute("href"))!).pathname;

  const p = await phone();
  await p.goto(link);
  await expect(p.getByText("本次测验要求加入时拍照")).toBeVisible();
  // A camera-sized picture, made in the browser: 4000×3000 with noise, JPEG at full quality (several MB).
  const big = Buffer.from(
    await p.evaluate(async () => {
      const c = document.createElement("canvas");
      c.width = 4000;
      c.height = 3000;
      const ctx = c.getContext("2d")!;
      let seed = 7;
      const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
      for (let i = 0; i < 30_000; i++) {
        ctx.fillStyle = `hsl(${Math.floor(rnd() * 360)}, 70%, ${30 + Math.floor(rnd() * 40)}%)`;
        ctx.fillRect(rnd() * 4000, rnd() * 3000, 4 + rnd() * 60, 4 + rnd() * 60);
      }
      ctx.fillStyle = "#fff";
      ctx.font = "bold 400px sans-serif";
      ctx.fillText("本人", 1400, 1700);
      return c.toDataURL("image/jpeg", 1).split(",")[1];
    }),
    "base64",
  );
  expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
  await p.getByLabel("姓名").fill("现场访客");
  await p.getByLabel("身份证号码").fill(makeIdNumber("110101", "1990-03-07", 15));
  await p.getByLabel("本人照片").setInputFiles({ name: "IMG_0001.jpg", mimeType: "image/jpeg", buffer: big });
  await expect(p.getByTestId("photo-note")).toContainText("已压缩", { timeout: 20_000 });
  await expect(p.getByAltText("将要上传的照片")).toBeVisible();
  await p.getByRole("button", { name: "开始答题" }).click();
  // Not on file: the post is asked, the photo chosen again (a form post does not keep a file), then the paper.
  await expect(p.getByLabel("您的岗位")).toBeVisible();
  await p.getByLabel("您的岗位").selectOption("worker");
  await p.getByLabel("本人照片").setInputFiles({ name: "IMG_0001.jpg", mimeType: "image/jpeg", buffer: big });
  await expect(p.getByTestId("photo-note")).toContainText("已压缩", { timeout: 20_000 });
  await p.screenshot({ path: "test-results/join-photo-phone.png", fullPage: true });
  expect(await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await p.getByRole("button", { name: "开始答题" }).click();
  await expect(p.locator("fieldset.question").first()).toBeVisible({ timeout: 20_000 });

  // Stored shrunk: a JPEG well under 1 MB.
  const [row] = await e2eSql(
    "SELECT pp.content_type, LENGTH(pp.bytes) AS size FROM quiz_participant_photo pp JOIN quiz_participant qp ON qp.id = pp.participant_id WHERE qp.typed_name = '现场访客' ORDER BY pp.participant_id DESC LIMIT 1",
  );
  expect(row.content_type).toBe("image/jpeg");
  expect(Number(row.size)).toBeLessThan(1024 * 1024);

  // The board (never reloaded) shows the picture, served to the inspector only.
  const photo = page.getByTestId("board").getByAltText("现场访客 加入时拍的照片");
  await expect(photo).toBeVisible({ timeout: 15_000 });
  await expect
    .poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
  expect(
    await photo.evaluate((img: HTMLImageElement) => Math.max(img.naturalWidth, img.naturalHeight)),
  ).toBeLessThanOrEqual(1280);
  await page.screenshot({ path: "test-results/join-photo-board-desktop.png", fullPage: false });
  // Outside the inspector's session the photo is not public.
  const src = await photo.getAttribute("src");
  const anonymous = await p.context().request.get(src!, { maxRedirects: 0 });
  expect(anonymous.status()).toBe(302);
});
