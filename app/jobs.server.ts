import { closeExpiredAttempts } from "./modules/exams/attempts.server";
import { syncFollowUps } from "./modules/inspections/quiz.server";
import { dailyCertificationSweep } from "./modules/certification/summary.server";
import { startCertSyncRunner } from "./modules/certification/sync.server";

// ANXUN_JOBS_INTERVAL_MS exists for tests that watch two processes run the jobs; production keeps 30 s.
const INTERVAL_MS = Math.min(Math.max(Number(process.env.ANXUN_JOBS_INTERVAL_MS) || 30_000, 200), 3_600_000);
const state = globalThis as unknown as { __anxunJobs?: NodeJS.Timeout };

/**
 * Periodic work of an app process. `npm start` (scripts/cluster.js) runs it in one process of the machine and sets
 * ANXUN_NO_JOBS in the others; several machines (or a restart overlap) may still run it at once, which is safe:
 * attempts are graded under a row lock only while unsubmitted, follow-ups are INSERT IGNOREd on a unique key, and
 * the daily sweep is claimed by a compare-and-set on its job_state row. A run starts only after the last ended.
 */
export function startBackgroundJobs() {
  if (state.__anxunJobs || process.env.ANXUN_NO_JOBS) return;
  startCertSyncRunner(); // certificate sync jobs (decision 0023): chunks back to back while a job waits
  const tick = () => {
    closeExpiredAttempts()
      .then(() => syncFollowUps())
      .then(() => dailyCertificationSweep())
      .catch((e) => console.error("background job failed", e))
      .finally(() => {
        state.__anxunJobs = setTimeout(tick, INTERVAL_MS);
        state.__anxunJobs.unref();
      });
  };
  state.__anxunJobs = setTimeout(tick, INTERVAL_MS);
  state.__anxunJobs.unref();
}
