/** Times are stored in UTC and shown, and typed, in Beijing time (UTC+8, no daylight saving). */
const OFFSET_MS = 8 * 3600_000;

/** A `datetime-local` value ("2026-12-01T09:30") typed in Beijing time, as a Date; null when malformed. */
export function fromBeijingLocal(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const d = new Date(`${value.length === 16 ? `${value}:00` : value}+08:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A Date as a `datetime-local` value in Beijing time. */
export function toBeijingLocal(d: Date | string): string {
  return new Date(new Date(d).getTime() + OFFSET_MS).toISOString().slice(0, 16);
}

/** "2026-12-01 09:30" in Beijing time. */
export function formatBeijing(d: Date | string | null, withSeconds = false): string {
  if (d === null) return "";
  return new Date(new Date(d).getTime() + OFFSET_MS).toISOString().slice(0, withSeconds ? 19 : 16).replace("T", " ");
}

/** Seconds as "8 分 20 秒". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m ? `${m} 分 ${s} 秒` : `${s} 秒`;
}
