import { DEMO_PASSWORD, expect, loginAs, logout, test } from "./support";

const ROLES = [
  { username: "admin", role: "系统管理员", sees: "系统概况", nav: ["区域", "企业", "人员", "账号", "审计日志"] },
  { username: "regulator", role: "监管部门培训管理员", sees: "辖区：安澜市", nav: ["企业", "人员"] },
  { username: "inspector", role: "执法检查人员", sees: "辖区：滨江区", nav: ["企业", "人员"] },
  { username: "officer", role: "企业安全培训管理员", sees: "安澜宏达化工有限公司", nav: ["人员", "账号"] },
  { username: "worker", role: "从业人员", sees: "待办", nav: [] },
];

for (const r of ROLES) {
  test(`${r.username} logs in and sees the ${r.role} home`, async ({ page }) => {
    await loginAs(page, r.username);
    await expect(page.getByTestId("role")).toHaveText(r.role);
    await expect(page.getByRole("heading", { name: r.sees })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "主导航" });
    for (const item of r.nav) await expect(nav.getByRole("link", { name: item, exact: true })).toBeVisible();
    if (r.username === "worker") await expect(nav.getByRole("link", { name: "人员" })).toHaveCount(0);
  });
}

test("a wrong password shows a Chinese message next to the form", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("用户名").fill("worker");
  await page.getByLabel("密码").fill("wrong-password1");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toHaveText("用户名或密码不正确。");
});

test("on a phone the worker's home fits the screen and logging out ends the session", async ({ phone }) => {
  const page = await phone();
  const context = page.context();
  await loginAs(page, "worker");
  await expect(page.getByRole("heading", { name: "待办" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "anxun_session")!;
  expect(session.httpOnly).toBe(true);
  expect(session.sameSite).toBe("Lax");

  await logout(page);
  await expect(page).toHaveURL(/\/login$/);
  // The old cookie no longer opens anything, even if replayed.
  await context.addCookies([{ ...session }]);
  await page.goto("/people");
  await expect(page).toHaveURL(/\/login\?next=%2Fpeople$/);
});

test("an officer adds a person on a phone, with errors shown next to the fields", async ({ phone }) => {
  const page = await phone();
  await loginAs(page, "officer");
  await page.goto("/people/new");
  await page.getByLabel("姓名").fill("测试员");
  await page.getByLabel("身份证号码").fill("110105194912310021");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.locator("#f-idNumber-error")).toHaveText("身份证号码校验位不正确，请核对");
  await expect(page.locator("#f-post-error")).toHaveText("请选择岗位");
  await page.getByLabel("身份证号码").fill("11010519491231002X");
  await page.getByLabel("岗位").selectOption("worker");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toHaveText("已保存。");
  await expect(page.getByText("110105********002X", { exact: true })).toBeVisible();
});

test("unknown pages answer 404 in Chinese; another enterprise's person answers 403", async ({ page }) => {
  const missing = await page.goto("/no-such-page");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  await loginAs(page, "officer2");
  // Person 1 belongs to the first demo enterprise, not officer2's.
  const refused = await page.goto("/people/1");
  expect(refused?.status()).toBe(403);
  await expect(page.getByText("不属于您所在的企业")).toBeVisible();
});

test("a cross-site form post is refused before it reaches the app", async ({ request }) => {
  const res = await request.post("/login", {
    form: { username: "admin", password: DEMO_PASSWORD },
    headers: { Origin: "http://evil.example" },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(403);
  expect(await res.text()).toContain("请求来源校验失败");
});

test("an oversized upload is refused with 413", async ({ request }) => {
  const res = await request.post("/people/import", {
    headers: { Origin: "http://localhost:3100", "Content-Type": "application/octet-stream" },
    data: Buffer.alloc(11 * 1024 * 1024),
  });
  expect(res.status()).toBe(413);
});
