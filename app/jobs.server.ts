import { closeExpiredAttempts } from "./modules/exams/grading.server";
import { dailyCertificationSweep } from "./modules/certification/summary.server";
import { startDueSpotChecks } from "./modules/rescue/spotchecks.server";
import { log } from "./lib/log.server";
import { adaptersFor, channelConfig, dispatchNotifications } from "./modules/notifications/channels.server";
import { dailyReminders } from "./modules/notifications/reminders.server";
import { dailyCockpitSweep } from "./modules/cockpit/summary.server";
import { startCertSyncRunner } from "./modules/certification/sync.server";

// ANXUN_JOBS_INTERVAL_MS exists for tests that watch two processes run the jobs; production keeps 30 s.
const INTERVAL_MS = Math.min(Math.max(Number(process.env.ANXUN_JOBS_INTERVAL_MS) || 30_000, 200), 3_600_000);
const state = globalThis as unknown as { __anxunJobs?: NodeJS.Timeout };

/**
 * Periodic work of an app process. `npm start` (scripts/cluster.js) runs it in one process of the machine and sets
 * ANXUN_NO_JOBS in the others; several machines (or a restart overlap) may still run it at once, which is safe:
 * attempts are graded under a row lock only while unsubmitted (grading writes the follow-up in its transaction), and
 * the daily sweep is claimed by a compare-and-set on its job_state row. A run starts only after the last ended.
 */
/** The periodic jobs, each on its own: one failing is logged and never stops the others. */
const JOBS: [name: string, run: () => Promise<unknown>][] = [
  ["close expired attempts", closeExpiredAttempts],
  ["daily certification sweep", dailyCertificationSweep],
  ["daily reminders", dailyReminders],
  ["daily cockpit sweep", dailyCockpitSweep],
  ["start due spot checks", () => startDueSpotChecks()],
  ["deliver notifications", () => (adapters.length ? dispatchNotifications(adapters) : Promise.resolve(null))],
];
// Every process checks the channel settings when it loads: an unknown channel (or a missing setting) stops it with a
// message in Chinese and English before it serves or sends anything.
const adapters = adaptersFor(channelConfig());

export async function runJobs(): Promise<{ name: string; ok: boolean }[]> {
  const results = await Promise.allSettled(JOBS.map(([, run]) => run()));
  return results.map((r, i) => {
    if (r.status === "rejected") log.error({ err: r.reason, job: JOBS[i][0] }, "background job failed");
    return { name: JOBS[i][0], ok: r.status === "fulfilled" };
  });
}

export function startBackgroundJobs() {
  if (state.__anxunJobs || process.env.ANXUN_NO_JOBS) return;
  startCertSyncRunner(); // certificate sync jobs (decision 0023): chunks back to back while a job waits
  const tick = () => {
    runJobs().finally(() => {
      state.__anxunJobs = setTimeout(tick, INTERVAL_MS);
      state.__anxunJobs.unref();
    });
  };
  state.__anxunJobs = setTimeout(tick, INTERVAL_MS);
  state.__anxunJobs.unref();
}
