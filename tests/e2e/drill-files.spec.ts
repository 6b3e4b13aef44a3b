import { DEMO_PASSWORD, expect, hydrated, loginAs, test } from "./support";

// Beijing-time "datetime-local" values n days (and h hours) from now; far from the windows other drill specs use.
const local = (days: number, hours = 0) =>
  new Date(Date.now() + 8 * 3600_000 + days * 86400_000 + hours * 3600_000).toISOString().slice(0, 16);
const SHOTS = "test-results/drill-files";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n");

test.use({ viewport: { width: 1440, height: 900 } });

test("an officer chooses participants by post, uploads the drill's plan, the evaluator rates 优/良/中/差 with comments, the report shows the photos", async ({
  page,
  browser,
}) => {
  page.on("dialog", (d) => d.accept());
  await loginAs(page, "officer");
  await page.goto("/drills/plans/new");
  await page.getByLabel("预案类型").selectOption("onsite");
  await page.getByLabel("预案名称").fill("罐区火灾现场处置方案");
  await page.getByLabel("适用的事故情景").fill("罐区火灾");
  await page.getByLabel("应急组织与职责").fill("现场指挥：班长");
  await page.getByLabel("发布实施日期").fill("2026-03-01");
  await page.getByRole("button", { name: "保存预案" }).click();
  await page.getByRole("link", { name: "安排演练" }).click();
  await hydrated(page);

  await page.getByLabel("演练名称").fill("罐区火灾现场处置演练");
  await page.getByLabel("开始时间").fill(local(60));
  await page.getByLabel("预计结束时间").fill(local(60, 3));
  await page.getByLabel("演练目标").fill("检验初期火灾扑救和报警");
  await page.getByLabel("演练情景").fill("3 号罐区防火堤内油品泄漏着火");
  await page
    .getByRole("group", { name: /^评估人员/ })
    .getByLabel(/赵评估/)
    .check();

  // Participants: everyone, then nobody, then one whole post at once.
  const participants = page.getByRole("group", { name: "参演人员", exact: true });
  const count = participants.getByTestId("participant-count");
  await participants.getByRole("checkbox", { name: /全体人员/ }).check();
  const everyone = await participants.locator('input[name="participants"]').count();
  await expect(count).toHaveText(`已选 ${everyone} 人`);
  await participants.getByRole("button", { name: "清空" }).click();
  await expect(count).toHaveText("已选 0 人");
  const specials = participants.getByRole("group", { name: /全部特种作业人员/ });
  await specials.getByRole("checkbox", { name: /全部特种作业人员/ }).check();
  const specialBoxes = specials.locator('input[name="participants"]');
  const n = await specialBoxes.count();
  expect(n).toBeGreaterThan(0);
  for (const box of await specialBoxes.all()) await expect(box).toBeChecked();
  await expect(count).toHaveText(`已选 ${n} 人`);
  const firstSpecial = (await specials.locator(".choice").first().innerText()).trim();
  await participants.screenshot({ path: `${SHOTS}/participants-by-post.png` });
  await page.screenshot({ path: `${SHOTS}/drill-form.png`, fullPage: true });
  await page.getByRole("button", { name: "保存演练计划" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("罐区火灾现场处置演练");
  await expect(page.getByText(`参演人员：`)).toContainText(firstSpecial);
  const drillUrl = new URL(page.url()).pathname;

  // The plan and a task card as files of the drill; a file of the wrong kind is refused in Chinese.
  await page.getByRole("link", { name: "上传方案/任务卡" }).click();
  await page.getByLabel("类别").selectOption("plan");
  await page
    .getByLabel("文件")
    .setInputFiles({ name: "罐区火灾演练方案.pdf", mimeType: "application/pdf", buffer: PDF });
  await page.getByRole("button", { name: "上传" }).click();
  await expect(page.getByTestId("drill-files")).toContainText("罐区火灾演练方案.pdf");
  await page.getByLabel("文件").setInputFiles({
    name: "任务卡.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("<html>not a pdf</html>"),
  });
  await page.getByRole("button", { name: "上传" }).click();
  await expect(page.getByRole("alert").first()).toContainText("只能上传 PDF、Word");
  await page.screenshot({ path: `${SHOTS}/files-page.png`, fullPage: true });
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "罐区火灾演练方案.pdf" }).click();
  expect((await download).suggestedFilename()).toBe("罐区火灾演练方案.pdf");

  await page.goto(drillUrl);
  await expect(page.getByTestId("drill-files")).toContainText("罐区火灾演练方案.pdf");
  await expect(page.getByTestId("drill-evaluation-form")).toContainText("AQ/T 9009");
  await page.screenshot({ path: `${SHOTS}/drill-page.png`, fullPage: true });
  await page.getByRole("button", { name: "开始演练" }).click();
  await expect(page.getByText("演练已开始")).toBeVisible();

  // A photo in the log (a picture drawn in the browser), then the end.
  const photo = Buffer.from(
    (
      await page.evaluate(() => {
        const c = document.createElement("canvas");
        c.width = 640;
        c.height = 480;
        const g = c.getContext("2d")!;
        g.fillStyle = "#8fb3d9";
        g.fillRect(0, 0, 640, 480);
        g.fillStyle = "#d94f2b";
        g.fillRect(200, 180, 240, 200);
        g.fillStyle = "#222";
        g.font = "48px sans-serif";
        g.fillText("3号罐区", 220, 120);
        return c.toDataURL("image/png");
      })
    ).split(",")[1],
    "base64",
  );
  await page.getByRole("link", { name: "记录演练过程" }).click();
  await page.getByRole("button", { name: "发出警报" }).click();
  await expect(page.getByRole("status")).toHaveText("已记录：发出警报");
  await page.getByLabel("记录内容").fill("泡沫炮就位");
  await page.getByLabel("照片（可选）").setInputFiles({ name: "scene.png", mimeType: "image/png", buffer: photo });
  await page.getByRole("button", { name: "保存记录" }).click();
  await expect(page.locator(".timeline")).toContainText("泡沫炮就位");
  await page.goto(drillUrl);
  await page.getByRole("button", { name: "结束演练" }).click();
  await expect(page.getByText("演练已结束。")).toBeVisible();

  // The evaluator rates each item 优/良/中/差 (never P/S/M/U) with a comment in a real text area.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  const evaluator = await context.newPage();
  await loginAs(evaluator, "evaluator");
  await evaluator.goto(`${drillUrl}/evaluate`);
  await expect(evaluator.getByTestId("evaluation-form")).toContainText("AQ/T 9009");
  const sheet = evaluator.locator("form.evaluation-sheet");
  await expect(sheet).not.toContainText(/\b[PSMU] /);
  for (const group of await evaluator.getByRole("radiogroup").all())
    await group.getByRole("radio", { name: /优（/ }).check();
  const comment = evaluator.locator("textarea").first();
  expect(await comment.getAttribute("rows")).toBe("3");
  await comment.fill("报警及时；泡沫炮就位用时 4 分钟，略长。\n建议：固定泡沫炮操作人员。");
  const overall = evaluator.getByLabel("总体评价和改进建议");
  expect(Number(await overall.getAttribute("rows"))).toBeGreaterThanOrEqual(6);
  const box = await overall.boundingBox();
  expect(box!.width).toBeGreaterThan(700);
  await overall.fill("整体处置有序。");
  await evaluator.screenshot({ path: `${SHOTS}/evaluate.png`, fullPage: true });
  await evaluator.getByRole("button", { name: "提交评估表" }).click();
  await expect(evaluator).toHaveURL(new RegExp(`${drillUrl}$`));
  await context.close();

  await page.reload();
  await expect(page.getByTestId("overall-rating")).toContainText("优（均分 4）");
  await page.getByRole("link", { name: "评估报告（可打印）" }).click();
  await expect(page.getByTestId("report-evaluation-form")).toContainText("AQ/T 9009");
  await expect(page.locator("article")).toContainText("固定泡沫炮操作人员");
  const img = page.locator(".timeline img").first();
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(100);
  await page.screenshot({ path: `${SHOTS}/report.png`, fullPage: true });
  // The PDF still embeds the photo (an image XObject in the file).
  const pdf = await page.request.get(`/documents/drill${drillUrl.replace("/drills", "")}`);
  expect(pdf.status()).toBe(200);
  expect((await pdf.body()).toString("latin1")).toContain("/Subtype /Image");
});

test("without JavaScript a whole post is chosen and expanded by the server", async ({ page, browser }) => {
  await loginAs(page, "officer");
  await page.goto("/drills");
  const plan = page.getByRole("link", { name: "罐区火灾现场处置方案" }).first();
  await plan.click();
  await expect(page).toHaveURL(/\/drills\/plans\/\d+$/);
  const planUrl = new URL(page.url()).pathname;
  const noScript = await browser.newContext({ viewport: { width: 1440, height: 900 }, javaScriptEnabled: false });
  const p = await noScript.newPage();
  await p.goto("/login");
  await p.getByLabel("用户名").fill("officer");
  await p.getByLabel("密码").fill(DEMO_PASSWORD);
  await p.getByRole("button", { name: "登录" }).click();
  await expect(p.getByRole("heading", { level: 1 })).toContainText("您好");
  await p.goto(`/drills/new?planId=${planUrl.split("/").pop()}`);
  await p.getByLabel("演练名称").fill("无脚本环境下按岗位选人");
  await p.getByLabel("开始时间").fill(local(64));
  await p.getByLabel("预计结束时间").fill(local(64, 2));
  await p.getByLabel("演练目标").fill("检验");
  await p.getByLabel("演练情景").fill("情景");
  await p
    .getByRole("group", { name: /^评估人员/ })
    .getByLabel(/赵评估/)
    .check();
  const participants = p.getByRole("group", { name: "参演人员", exact: true });
  await expect(participants.getByRole("button", { name: "清空" })).toHaveCount(0);
  await participants.getByRole("checkbox", { name: /全部安全生产管理人员/ }).check();
  await p.getByRole("button", { name: "保存演练计划" }).click();
  await expect(p.getByRole("heading", { level: 1 })).toHaveText("无脚本环境下按岗位选人");
  await expect(p.getByText("参演人员：")).toContainText("、");
  await noScript.close();
});

test("a regulator's spot check of an enterprise starts the enterprise's drill; its evaluation shows on the check", async ({
  page,
  browser,
}) => {
  page.on("dialog", (d) => d.accept());
  await loginAs(page, "regulator");
  await page.goto("/rescue/spot-checks/new");
  await page.getByLabel("抽查对象").selectOption({ label: "安澜宏达化工有限公司" });
  await page.getByLabel("抽查名称").fill("宏达化工夜间双盲抽查");
  await page.getByLabel("密封的抽查情景").fill("中控室接报：2 号罐区可燃气体报警");
  await page
    .getByRole("group", { name: /评估人员/ })
    .getByLabel(/王检查/)
    .check();
  await page.screenshot({ path: `${SHOTS}/spot-check-new.png`, fullPage: true });
  await page.getByRole("button", { name: "密封并保存" }).click();
  await expect(page.getByRole("button", { name: "立即开始" })).toBeVisible();
  const checkUrl = new URL(page.url()).pathname;
  await page.getByRole("button", { name: "立即开始" }).click();
  await expect(page.getByText("抽查已开始")).toBeVisible();
  await page.getByTestId("spot-check-drill").getByRole("link", { name: "宏达化工夜间双盲抽查" }).click();
  await expect(page.getByText("我是组织者")).toBeVisible();
  // The organizer picks the GB/T 46792 form for this drill.
  await page.getByLabel("更换评估表").selectOption("gbt46792");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByTestId("drill-evaluation-form")).toContainText("GB/T 46792");
  const drillUrl = new URL(page.url()).pathname;

  // The enterprise's officer sees and logs it like any drill.
  const officerContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  const officer = await officerContext.newPage();
  await loginAs(officer, "officer");
  await officer.goto(drillUrl);
  await expect(officer.getByText("我是导调人员")).toBeVisible();
  await expect(officer.getByTestId("scenario")).toHaveText("中控室接报：2 号罐区可燃气体报警");
  await officer.getByRole("link", { name: "记录演练过程" }).click();
  await officer.getByRole("button", { name: "发出警报" }).click();
  await expect(officer.getByRole("status")).toHaveText("已记录：发出警报");
  await officerContext.close();

  // The inspector named by the check scores it on the GB/T form.
  const inspectorContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  const inspector = await inspectorContext.newPage();
  await loginAs(inspector, "inspector");
  await inspector.goto(`${drillUrl}/evaluate`);
  await expect(inspector.getByTestId("evaluation-form")).toContainText("GB/T 46792");
  for (const input of await inspector.locator('input[name^="points."]').all()) await input.fill("8");
  await inspector.getByLabel("总体评价和改进建议").fill("报警后 6 分钟才启动应急广播。");
  await inspector.screenshot({ path: `${SHOTS}/evaluate-gbt.png`, fullPage: true });
  await inspector.getByRole("button", { name: "提交评估表" }).click();
  await expect(inspector).toHaveURL(new RegExp(`${drillUrl}$`));
  await inspectorContext.close();

  await page.goto(checkUrl);
  await expect(page.getByTestId("spot-check-drill").getByTestId("overall-rating")).toContainText("平均总分");
  await page.screenshot({ path: `${SHOTS}/spot-check.png`, fullPage: true });
});
