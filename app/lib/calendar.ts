/**
 * The one calendar. Instants are stored in UTC; every day, month and year that a rule or a page speaks of is a
 * day in the configured time zone (default Asia/Shanghai; `ANXUN_TIME_ZONE` on the server, passed to the browser by
 * the root loader). Nothing else in the code turns an instant into a day.
 */
import dayjs from "dayjs";
import timezone from "dayjs/plugin/timezone.js";
import utc from "dayjs/plugin/utc.js";

dayjs.extend(utc);
dayjs.extend(timezone);

export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

const configured = typeof process !== "undefined" && process.env ? process.env.ANXUN_TIME_ZONE : undefined;
let zone = isTimeZone(configured) ? configured! : DEFAULT_TIME_ZONE;

const knownZones = new Set<string>();

export function isTimeZone(name: string | undefined | null): boolean {
  if (!name) return false;
  if (knownZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    if (knownZones.size < 100) knownZones.add(name);
    return true;
  } catch {
    return false;
  }
}

export const timeZone = () => zone;

/** The browser takes the server's zone from the root loader, so both show the same days. */
export function setTimeZone(name: string) {
  if (isTimeZone(name)) zone = name;
}

type Instant = Date | string | number;

/** Where "now" comes from: the server installs its test-movable clock (clock.server.ts); the browser uses its own. */
let clock: () => Date = () => new Date();
export const setClockSource = (source: () => Date) => {
  clock = source;
};

/** Today in the zone, "YYYY-MM-DD". */
export const today = () => dayOf(clock());
const inZone = (at: Instant) => dayjs(at).tz(zone);

// dayjs's tz() formats through toLocaleString on every call (a new formatter each time: slow on hot pages); the common
// formats below read the same fields from one cached Intl formatter per zone, and fall back to dayjs for the rest.
const formatters = new Map<string, Intl.DateTimeFormat>();
type Fields = { y: string; m: string; d: string; H: string; M: string; S: string };
function fieldsOf(at: Instant): Fields | null {
  const date = typeof at === "string" ? dayjs(at).toDate() : at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) return null;
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(date)) out[p.type] = p.value;
  const y = out.year;
  if (!/^\d{4}$/.test(y)) return null; // years outside 1000–9999: leave them to dayjs
  return { y, m: out.month, d: out.day, H: out.hour, M: out.minute, S: out.second };
}

/** The calendar day of an instant, "YYYY-MM-DD". */
export const dayOf = (at: Instant) => {
  const f = fieldsOf(at);
  return f ? `${f.y}-${f.m}-${f.d}` : inZone(at).format("YYYY-MM-DD");
};
/** Years later (or earlier, negative), clamped like addMonths. */
export const addYears = (day: string, n: number) => addMonths(day, 12 * n);

/**
 * The zone's offset from UTC as "+08:00", for SQL that groups stored UTC instants by day or month
 * (CONVERT_TZ with a numeric offset needs no time-zone tables; exact for zones without daylight saving).
 */
export const zoneOffset = (at: Instant = Date.now()) => inZone(at).format("Z");

/** The month of an instant, "YYYY-MM". */
export const monthOf = (at: Instant) => {
  const f = fieldsOf(at);
  return f ? `${f.y}-${f.m}` : inZone(at).format("YYYY-MM");
};
/** The year of an instant. */
export const yearOf = (at: Instant) => inZone(at).year();

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Day arithmetic on "YYYY-MM-DD" (zone-free: a day plus n days is a day). */
export function addDays(day: string, n: number): string {
  return dayjs.utc(day).add(n, "day").format("YYYY-MM-DD");
}

/** Month arithmetic, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: string, n: number): string {
  return dayjs.utc(day).add(n, "month").format("YYYY-MM-DD");
}

/** Whole days from `a` to `b` (b - a). */
export function daysBetween(a: string, b: string): number {
  return dayjs.utc(b).diff(dayjs.utc(a), "day");
}

/** The instant a day begins in the zone: what "on or after this day" compares instants with. */
export function startOfDay(day: string): Date {
  if (!DAY.test(day)) throw new RangeError(`not a day: ${day}`);
  return dayjs.tz(`${day} 00:00:00`, zone).toDate();
}

/** The first instant of a calendar year in the zone (the 学时 year). */
export const startOfYear = (year: number) => startOfDay(`${year}-01-01`);

/** The last `count` months up to and including the month of `at`, oldest first ("YYYY-MM"). */
export function lastMonths(at: Instant, count: number): string[] {
  const first = inZone(at).startOf("month");
  return Array.from({ length: count }, (_, i) => first.subtract(count - 1 - i, "month").format("YYYY-MM"));
}

/** A `datetime-local` value ("2026-12-01T09:30") typed in the zone, as an instant; null when malformed. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const parsed = dayjs.tz(value.replace("T", " ").padEnd(19, ":00").slice(0, 19), zone);
  if (!parsed.isValid()) return null;
  // Reject dates that do not exist (30 February) rather than rolling them over.
  return parsed.format("YYYY-MM-DDTHH:mm") === value.slice(0, 16) ? parsed.toDate() : null;
}

/** An instant as a `datetime-local` value in the zone. */
export const toLocalInput = (at: Instant) => {
  const f = fieldsOf(at);
  return f ? `${f.y}-${f.m}-${f.d}T${f.H}:${f.M}` : inZone(at).format("YYYY-MM-DDTHH:mm");
};

/** "2026-12-01 09:30" (or with seconds) in the zone; "" for none. */
export function formatInstant(at: Instant | null, withSeconds = false): string {
  if (at === null) return "";
  const f = fieldsOf(at);
  if (!f) return inZone(at).format(withSeconds ? "YYYY-MM-DD HH:mm:ss" : "YYYY-MM-DD HH:mm");
  return `${f.y}-${f.m}-${f.d} ${f.H}:${f.M}${withSeconds ? `:${f.S}` : ""}`;
}

/** "09:30" in the zone. */
export const formatClock = (at: Instant) => {
  const f = fieldsOf(at);
  return f ? `${f.H}:${f.M}` : inZone(at).format("HH:mm");
};

/** Seconds as "8 分 20 秒". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return `${h} 小时 ${m} 分`;
  return m ? `${m} 分 ${s} 秒` : `${s} 秒`;
}
