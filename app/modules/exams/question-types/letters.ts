/** The option letters of choice questions, and the mapping between what the examinee sees and what is stored. */
export const LETTERS = "ABCDEFGH";

/** Displayed letters → original letters, given the stored order ("2031": displayed A is original C …). */
export function toOriginal(displayed: string, optionOrder: string): string {
  return [...displayed]
    .map((l) => LETTERS[Number(optionOrder[LETTERS.indexOf(l)])])
    .sort()
    .join("");
}

/** Original letters → displayed letters. */
export function toDisplayed(original: string, optionOrder: string): string {
  return [...original]
    .map((l) => LETTERS[optionOrder.indexOf(String(LETTERS.indexOf(l)))])
    .sort()
    .join("");
}
