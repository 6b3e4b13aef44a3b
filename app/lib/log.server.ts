import pino from "pino";

/**
 * One structured log for the server: JSON lines on stdout (level, time, pid, message, and the error with its stack),
 * ready for any collector. LOG_LEVEL sets the threshold (default info; "silent" in tests that expect failures).
 */
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { pid: process.pid, app: "anxun" },
  // ID numbers and secrets never reach the log, whatever an error carries.
  redact: {
    paths: ["*.password", "*.idNumber", "*.id_number", "*.cookie", "*.authorization", "req.headers.cookie"],
    censor: "[redacted]",
  },
});
