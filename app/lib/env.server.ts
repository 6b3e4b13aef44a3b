import { z } from "zod";

/** The development key of ID_NUMBER_KEYS: public, so a warning at start in production (like ID_HASH_KEY's default). */
export const DEV_ID_NUMBER_KEYS = "dev:YW54dW4tZGV2LWlkLW51bWJlci1rZXktY2hhbmdlLW0=";

/** "k2:base64,k1:base64" → [["k2", key], ["k1", key]] (first = current), or null when malformed. */
export function parseIdNumberKeys(value: string): [id: string, key: Buffer][] | null {
  const pairs = value
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (!pairs.length) return null;
  const keys: [string, Buffer][] = [];
  for (const pair of pairs) {
    const m = /^([A-Za-z0-9_-]{1,16}):([A-Za-z0-9+/=_-]+)$/.exec(pair);
    if (!m) return null;
    const key = Buffer.from(m[2], "base64");
    if (key.length !== 32 || keys.some(([id]) => id === m[1])) return null;
    keys.push([m[1], key]);
  }
  return keys;
}

/** Process configuration, checked once. Every setting has a safe local default except secrets in production. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().default("mysql://root@127.0.0.1:3306/anxun"),
  /** Key for the keyed hash of ID numbers: changing it orphans every stored hash. */
  ID_HASH_KEY: z.string().min(16).default("anxun-dev-id-hash-key-change-me"),
  /**
   * Keys for the encrypted ID number (AES-256-GCM, decision 0031): "id:base64key" pairs separated by commas, each key
   * 32 bytes. The first encrypts; every one listed decrypts (rotation: put the new key first, keep the old ones until
   * no row names them). Losing a key loses the full numbers it encrypted (the hash and masked form remain).
   */
  ID_NUMBER_KEYS: z
    .string()
    .default(DEV_ID_NUMBER_KEYS)
    .refine((v) => parseIdNumberKeys(v) !== null, "ID_NUMBER_KEYS must be id:base64 pairs of 32-byte keys"),
  SESSION_DAYS: z.coerce.number().positive().default(7),
  /** Largest accepted request body, in bytes (uploads included). */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /**
   * "1" when the app's processes write through different nodes of a Galera cluster: every read then waits until its node
   * has applied what the other nodes committed before it (wsrep_sync_wait = 1), so a session created through one node
   * is found by the next request on another, and a hand-in sees the last autosave. scripts/cluster.js sets it when
   * ANXUN_DATABASE_URLS names more than one node.
   */
  DB_CAUSAL_READS: z.enum(["0", "1"]).default("0"),
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
    if (
      parsed.data.NODE_ENV === "production" &&
      parsed.data.ID_NUMBER_KEYS === DEV_ID_NUMBER_KEYS &&
      !process.env.ANXUN_DEMO
    ) {
      console.warn("ID_NUMBER_KEYS is the development default: set a secret key in production.");
    }
    cached = parsed.data;
  }
  return cached;
}
