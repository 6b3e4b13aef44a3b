import { idNumberCheckChar, usccCheckChar } from "../../app/modules/org/identifiers";

/** A valid (fictional) resident ID number: area code, birth date, sequence, check character. */
export function makeIdNumber(areaCode: string, birth: string, sequence: number): string {
  const first17 = `${areaCode}${birth.replaceAll("-", "")}${String(sequence % 1000).padStart(3, "0")}`;
  return first17 + idNumberCheckChar(first17);
}

/** A valid (fictional) unified social credit code for an enterprise (registration "91": company). */
export function makeUscc(areaCode: string, serial: number): string {
  const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  let body = "";
  let n = serial;
  for (let i = 0; i < 9; i++) {
    body = chars[n % 31] + body;
    n = Math.floor(n / 31);
  }
  const first17 = `91${areaCode}${body}`;
  return first17 + usccCheckChar(first17);
}
