import { z } from "zod";

/** Process configuration, checked once. Every setting has a safe local default except secrets in production. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().default("mysql://root@127.0.0.1:3306/anxun"),
  /** Key for the keyed hash of ID numbers: changing it orphans every stored hash. */
  ID_HASH_KEY: z.string().min(16).default("anxun-dev-id-hash-key-change-me"),
  SESSION_DAYS: z.coerce.number().positive().default(7),
  /** Largest accepted request body, in bytes (uploads included). */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /**
   * The site's public address (https://anxun.example.gov.cn): join links and QR codes are built from it. Unset, the
   * request's own address is used, and a proxy's X-Forwarded-Host/-Proto only when TRUST_PROXY is set.
   */
  PUBLIC_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), "PUBLIC_URL must be http(s)")
      .optional(),
  ),
  /** Express's trust-proxy value when behind a load balancer (scripts/server.js reads it too). */
  TRUST_PROXY: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  /** Honest reading: a lesson needs chars / READING_CHARS_PER_MINUTE minutes on the page, at least LESSON_MIN_SECONDS. */
  READING_CHARS_PER_MINUTE: z.coerce.number().positive().default(500),
  LESSON_MIN_SECONDS: z.coerce.number().int().nonnegative().default(30),
  /** The most one heartbeat can add: the page sends one every 15 s while visible. */
  HEARTBEAT_CAP_SECONDS: z.coerce.number().int().positive().default(30),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = EnvSchema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(
        `Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    }
    if (
      parsed.data.NODE_ENV === "production" &&
      parsed.data.ID_HASH_KEY === "anxun-dev-id-hash-key-change-me" &&
      !process.env.ANXUN_DEMO
    ) {
      console.warn("ID_HASH_KEY is the development default: set a secret in production.");
    }
    cached = parsed.data;
  }
  return cached;
}
