/** China has one time zone and no daylight saving: UTC+8 all year. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The calendar date (YYYY-MM-DD) in China of an instant — what a deadline or a published date means. */
export function chinaDate(at: Date = new Date()): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a China calendar day (YYYY-MM-DD, already checked) begins. */
export function chinaDayStart(day: string): Date {
  return new Date(Date.parse(day) - CHINA_OFFSET_MS);
}

/** The instant after a China calendar day: the end of a range that includes the day. */
export function chinaDayAfter(day: string): Date {
  return new Date(chinaDayStart(day).getTime() + 86_400_000);
}

/** A calendar date written YYYY-MM-DD that the calendar has. */
export function isIsoDate(value: string): boolean {
  // A calendar day: Date.parse alone takes 2026-02-30 (as 2 March), which PostgreSQL refuses.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}
