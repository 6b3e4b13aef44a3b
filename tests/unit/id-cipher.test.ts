import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEV_ID_NUMBER_KEYS, parseIdNumberKeys } from "../../app/lib/env.server";
import { decryptIdNumber, encryptIdNumber, keyIdOf } from "../../app/modules/org/id-cipher.server";
import { can, type Actor } from "../../app/modules/auth/policy";

const key = () => randomBytes(32).toString("base64");
const ID = "11010519491231002X";

describe("encrypted ID numbers (decision 0031)", () => {
  it("round-trips, names its key, and never repeats a ciphertext", () => {
    const a = encryptIdNumber(" 11010519491231002x ", DEV_ID_NUMBER_KEYS);
    const b = encryptIdNumber(ID, DEV_ID_NUMBER_KEYS);
    expect(a).not.toBe(b);
    expect(a).not.toContain(ID);
    expect(keyIdOf(a)).toBe("dev");
    expect(a.length).toBeLessThanOrEqual(128);
    expect(decryptIdNumber(a, DEV_ID_NUMBER_KEYS)).toBe(ID);
  });

  it("rotates: a new first key writes, the old still reads; a dropped key or a changed byte reads as null", () => {
    const k1 = `k1:${key()}`;
    const k2 = `k2:${key()}`;
    const old = encryptIdNumber(ID, k1);
    const rotated = `${k2},${k1}`;
    expect(keyIdOf(encryptIdNumber(ID, rotated))).toBe("k2");
    expect(decryptIdNumber(old, rotated)).toBe(ID);
    expect(decryptIdNumber(old, k2)).toBeNull();
    const [id, iv, body] = old.split(".");
    const flipped = Buffer.from(body, "base64url");
    flipped[0] ^= 1;
    expect(decryptIdNumber(`${id}.${iv}.${flipped.toString("base64url")}`, k1)).toBeNull();
    expect(decryptIdNumber("k1.bad", k1)).toBeNull();
    // Another key under the same id does not decrypt (the tag fails), it never yields garbage.
    expect(decryptIdNumber(old, `k1:${key()}`)).toBeNull();
  });

  it("refuses malformed key settings", () => {
    expect(parseIdNumberKeys(DEV_ID_NUMBER_KEYS)).not.toBeNull();
    expect(parseIdNumberKeys("")).toBeNull();
    expect(parseIdNumberKeys(`k1:${randomBytes(16).toString("base64")}`)).toBeNull(); // AES-128 size
    expect(parseIdNumberKeys(`k1:${key()},k1:${key()}`)).toBeNull(); // the same id twice
    expect(parseIdNumberKeys(`k.1:${key()}`)).toBeNull(); // "." separates the stored parts
  });

  it("gives full numbers to the enterprise's own officer only (not even the admin)", () => {
    const actor = (role: Actor["role"], enterpriseId: number | null): Actor => ({
      userId: "u",
      username: "u",
      displayName: "u",
      role,
      enterpriseId,
      regionPath: role === "regulator" || role === "inspector" ? "/1/" : null,
      personId: null,
    });
    const res = { type: "full_id_numbers" as const, enterpriseId: 7 };
    expect(can(actor("enterprise_officer", 7), "view", res)).toBe(true);
    expect(can(actor("enterprise_officer", 8), "view", res)).toBe(false);
    expect(can(actor("enterprise_officer", 7), "update", res)).toBe(false);
    for (const role of ["admin", "regulator", "inspector", "worker"] as const)
      expect(can(actor(role, role === "worker" ? 7 : null), "view", res)).toBe(false);
  });
});
