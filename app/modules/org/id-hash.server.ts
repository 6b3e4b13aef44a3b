import { createHmac } from "node:crypto";
import { env } from "../../lib/env.server";
import { encryptIdNumber } from "./id-cipher.server";
import { maskIdNumber, normalizeIdNumber } from "./identifiers";

/** Keyed hash: lets us match a person by ID number without storing the number itself. */
export function hashIdNumber(idNumber: string, key = env().ID_HASH_KEY): string {
  return createHmac("sha256", key).update(normalizeIdNumber(idNumber)).digest("hex");
}

export function idNumberColumns(idNumber: string) {
  return { id_number_hash: hashIdNumber(idNumber), id_number_masked: maskIdNumber(idNumber) };
}

/** What a person row keeps of an ID number: the keyed hash (matching), the masked form (showing) and the encrypted
 * number (given back only to the enterprise's officer, decision 0031). Audit entries omit the hash and the cipher. */
export function personIdNumberColumns(idNumber: string) {
  return { ...idNumberColumns(idNumber), id_number_cipher: encryptIdNumber(idNumber) };
}
