/**
 * Times as a person reads them: in the local time zone (TZ, else the system's), relative where
 * people expect it ("3 min ago"), never raw ISO strings with milliseconds.
 */

/** Rounded to the largest unit that fits: "500 ms", "12 s", "3 min", "2 h", "4 days". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3570) return `${Math.round(s / 60)} min`;
  if (s < 84_600) return `${Math.round(s / 3600)} h`;
  const days = Math.round(s / 86_400);
  return `${days} day${days === 1 ? '' : 's'}`;
}

export function ago(iso: string, now = Date.now()): string {
  const ms = now - Date.parse(iso);
  return ms < 5_000 ? 'just now' : `${duration(ms)} ago`;
}

const clockFormat = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
const dateFormat = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });

/** "19:05" today, "Sat 28 Nov 19:05" another day, in local time. */
export function localTime(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  const sameDay = dateFormat.format(at) === dateFormat.format(now);
  return sameDay
    ? clockFormat.format(at)
    : `${dayFormat.format(at).replace(',', '')} ${clockFormat.format(at)}`;
}

/** The local time zone's name, e.g. Europe/Paris. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "2026-11-24 Tue" for a calendar date (YYYY-MM-DD); the date is already the user's, no zone applies. */
export function dayLabel(date: string): string {
  const weekday = new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'short',
    timeZone: 'UTC',
  });
  return `${date} ${weekday}`;
}
