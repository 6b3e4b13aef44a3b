import { defineConfig, devices } from "@playwright/test";

// The site under test runs on its own database, reset and seeded with the demo city at start.
const base = new URL(process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/anxun");
// E2E_DATABASE lets several checkouts on one machine run their end-to-end tests side by side.
base.pathname = `/${process.env.E2E_DATABASE ?? "anxun_e2e"}`;
const PORT = Number(process.env.E2E_PORT ?? 3100);

export const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  // Root in CI needs --no-sandbox; the network flags keep Chromium from calling out of this closed machine.
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
  ],
};

export default defineConfig({
  testDir: ".",
  outputDir: "../../test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    launchOptions: chromium,
    trace: "off",
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], launchOptions: chromium } }],
  webServer: {
    command: "npx tsx scripts/db.ts reset && NODE_ENV=production node scripts/server.js",
    cwd: "../..",
    url: `http://localhost:${PORT}/login`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    // Short reading times so a test can finish a course; the real minimum is covered by integration tests.
    // TRUST_PROXY=loopback: the browser reaches the server from this machine as a proxy would (HSTS test).
    env: {
      DATABASE_URL: base.toString(),
      PORT: String(PORT),
      ANXUN_DEMO: "1",
      TRUST_PROXY: "loopback",
      READING_CHARS_PER_MINUTE: "100000",
      LESSON_MIN_SECONDS: "2",
    },
  },
});
