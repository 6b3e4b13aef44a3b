import { createHmac } from "node:crypto";
import { env } from "../../lib/env.server";
import { maskIdNumber, normalizeIdNumber } from "./identifiers";

/** Keyed hash: lets us match a person by ID number without storing the number itself. */
export function hashIdNumber(idNumber: string, key = env().ID_HASH_KEY): string {
  return createHmac("sha256", key).update(normalizeIdNumber(idNumber)).digest("hex");
}

export function idNumberColumns(idNumber: string) {
  return { id_number_hash: hashIdNumber(idNumber), id_number_masked: maskIdNumber(idNumber) };
}
