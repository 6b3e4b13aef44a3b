/** Pure rules of the registry: an entry's status on a day, and why a change puts its citing content under review. */

export interface EntryState {
  version: string;
  repealedOn: string | null;
  supersededBy: string | null;
}

export type EntryStatus = "in_force" | "not_yet" | "repealed";

export const STATUS_LABELS: Record<EntryStatus, string> = {
  in_force: "现行有效",
  not_yet: "尚未施行",
  repealed: "已废止",
};

/** Status on `today` (YYYY-MM-DD, a day in China): repealed from its repeal day, not yet before its effective day. */
export function entryStatus(
  e: { effective_on: string | null; repealed_on: string | null },
  today: string,
): EntryStatus {
  if (e.repealed_on && e.repealed_on <= today) return "repealed";
  if (e.effective_on && e.effective_on > today) return "not_yet";
  return "in_force";
}

/**
 * Why content citing an entry needs review after the registry changed, or null when nothing that matters did.
 * A repeal or a successor is announced before it takes effect, so it flags at once: the content must be ready.
 */
export function changeReason(name: string, was: EntryState, now: EntryState, successor: string | null): string | null {
  const parts: string[] = [];
  if (now.supersededBy && now.supersededBy !== was.supersededBy) {
    parts.push(
      `《${name}》已被${successor ?? now.supersededBy}取代${now.repealedOn ? `（${now.repealedOn} 起废止）` : ""}`,
    );
  } else if (now.repealedOn && now.repealedOn !== was.repealedOn) {
    parts.push(`《${name}》${now.repealedOn} 起废止`);
  }
  if (now.version !== was.version) parts.push(`《${name}》有新版本：${now.version}（原为 ${was.version}）`);
  return parts.length ? `${parts.join("；")}，请核对引用它的内容。` : null;
}
