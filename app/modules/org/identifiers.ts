/** Chinese identifiers and their check characters (pure, shared by client and server). */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = "10X98765432";

/** Check character of a resident ID number (ISO 7064 MOD 11-2) from its first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK_CHARS[sum % 11];
}

export function normalizeIdNumber(raw: string): string {
  return raw.trim().replace(/\s+/g, "").toUpperCase();
}

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Why an ID number is invalid, in Chinese, or null when it is valid. */
export function idNumberProblem(raw: string, today = new Date()): string | null {
  const id = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return "身份证号码应为 18 位，前 17 位为数字，最后一位为数字或 X";
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (!isRealDate(y, m, d) || y < 1900 || Date.UTC(y, m - 1, d) > today.getTime()) return "身份证号码中的出生日期无效";
  if (idNumberCheckChar(id) !== id[17]) return "身份证号码校验位不正确，请核对";
  return null;
}

export const isValidIdNumber = (raw: string) => idNumberProblem(raw) === null;

/** Shown instead of the number: first 6 and last 4 characters. */
export function maskIdNumber(raw: string): string {
  const id = normalizeIdNumber(raw);
  return `${id.slice(0, 6)}********${id.slice(14)}`;
}

/** Birth date (YYYY-MM-DD) from a valid ID number. */
export function birthDateOf(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

// 统一社会信用代码, GB 32100-2015: 31 characters (no I, O, Z, S, V), MOD 31 check character.
const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}

export function normalizeUscc(raw: string): string {
  return raw.trim().replace(/\s+/g, "").toUpperCase();
}

export function usccProblem(raw: string): string | null {
  const code = normalizeUscc(raw);
  if (code.length !== 18) return "统一社会信用代码应为 18 位";
  for (const ch of code) {
    if (!USCC_CHARS.includes(ch)) return `统一社会信用代码含有不允许的字符「${ch}」（不使用 I、O、Z、S、V）`;
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) return "统一社会信用代码第 3 至 8 位应为行政区划代码";
  if (usccCheckChar(code) !== code[17]) return "统一社会信用代码校验位不正确，请核对";
  return null;
}

export const isValidUscc = (raw: string) => usccProblem(raw) === null;
