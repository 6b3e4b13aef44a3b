/**
 * One spelling per account name. Names are stored and compared in this form, so that full-width letters, ligatures,
 * zero-width characters and case variants of a name reach the same account and the same rate-limit counters
 * (docs/decisions/0012-login-names-and-lockout.md). NFKC folds compatibility forms (ｗｏｒｋｅｒ, ﬁ, K), the
 * Default_Ignorable_Code_Point class holds zero-width and other invisible characters.
 */
export function normalizeUsername(raw: string): string {
  return raw
    .normalize("NFKC")
    .replace(/\p{Default_Ignorable_Code_Point}/gu, "")
    .toLowerCase()
    .normalize("NFKC")
    .trim();
}

/** What a stored name looks like; a login name that does not normalize to this cannot be any account. */
export const USERNAME_PATTERN = /^[a-z0-9_.-]{3,32}$/;
