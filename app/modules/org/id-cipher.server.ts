import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env, parseIdNumberKeys } from "../../lib/env.server";
import { normalizeIdNumber } from "./identifiers";

/**
 * The full ID number, encrypted (decision 0031): AES-256-GCM under a key of ID_NUMBER_KEYS, stored as
 * "<key id>.<iv>.<ciphertext+tag>" (base64url), so the key that wrote a row is named in the row and keys can rotate.
 * Only for giving the number back to those the policy allows (the officer's editable ledger); matching stays on the
 * keyed hash.
 */
const AAD = Buffer.from("anxun/person.id_number");

type Keys = [id: string, key: Buffer][];
let cache: { raw: string; keys: Keys } | undefined;

function keys(raw = env().ID_NUMBER_KEYS): Keys {
  if (cache?.raw !== raw) {
    const parsed = parseIdNumberKeys(raw);
    if (!parsed) throw new Error("ID_NUMBER_KEYS is malformed");
    cache = { raw, keys: parsed };
  }
  return cache.keys;
}

export function encryptIdNumber(idNumber: string, raw?: string): string {
  const [id, key] = keys(raw)[0];
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(normalizeIdNumber(idNumber), "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${id}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

/** The number, or null when the value is malformed, names a key no longer configured, or was tampered with. */
export function decryptIdNumber(stored: string, raw?: string): string | null {
  const [id, iv64, body64] = stored.split(".");
  const key = keys(raw).find(([k]) => k === id)?.[1];
  if (!key || !iv64 || !body64) return null;
  const iv = Buffer.from(iv64, "base64url");
  const body = Buffer.from(body64, "base64url");
  if (iv.length !== 12 || body.length <= 16) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(AAD);
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** The key id a stored value was written with (rotation reports: how many rows still use an old key). */
export const keyIdOf = (stored: string) => stored.split(".")[0];
