import { closeExpiredAttempts } from "./modules/exams/attempts.server";
import { syncFollowUps } from "./modules/inspections/quiz.server";
import { dailyCertificationSweep } from "./modules/certification/summary.server";

const INTERVAL_MS = 30_000;
const state = globalThis as unknown as { __anxunJobs?: NodeJS.Timeout };

/**
 * Periodic work of every app process. Each job is safe to run in several processes at once (row locks and
 * idempotent updates), so no leader election is needed.
 */
export function startBackgroundJobs() {
  if (state.__anxunJobs || process.env.ANXUN_NO_JOBS) return;
  state.__anxunJobs = setInterval(() => {
    closeExpiredAttempts()
      .then(() => syncFollowUps())
      .then(() => dailyCertificationSweep())
      .catch((e) => console.error("background job failed", e));
  }, INTERVAL_MS);
  state.__anxunJobs.unref();
}
