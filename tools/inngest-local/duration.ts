/**
 * Duration strings as the Inngest SDK writes them.
 *
 * The SDK's `timeStr()` emits compound strings such as `"1w2d3h4m5s"` (sleep durations, wait and
 * invoke timeouts), users write `ms`-style strings such as `"2s"`, `"500ms"` or `"1.5h"` in
 * `throttle.period` and `cancelOn.timeout`, and `sleepUntil` puts an ISO date in the op's `name`.
 */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  sec: 1_000,
  secs: 1_000,
  second: 1_000,
  seconds: 1_000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

const WHOLE = /^(?:\d+(?:\.\d+)?[a-z]+)+$/i;
const PART = /(\d+(?:\.\d+)?)([a-z]+)/gi;

/** Parses a duration string to milliseconds; returns `null` when it is not one. */
export function parseDuration(input: string): number | null {
  const compact = input.replace(/\s+/g, "");
  if (!WHOLE.test(compact)) return null;
  let total = 0;
  for (const match of compact.matchAll(PART)) {
    const unit = UNIT_MS[match[2].toLowerCase()];
    if (unit === undefined) return null;
    total += Number(match[1]) * unit;
  }
  return total > 0 ? Math.round(total) : null;
}

/** Like {@link parseDuration} but throws with the field name, for config validation. */
export function requireDuration(input: string, field: string): number {
  const ms = parseDuration(input);
  if (ms === null) throw new Error(`${field}: "${input}" is not a duration (e.g. "2s", "1h30m")`);
  return ms;
}

/**
 * Resolves the target time of a `Sleep` op or a timeout: either a duration from `now` or an
 * absolute ISO date (`sleepUntil`).
 */
export function resolveDeadline(value: string, now: number): number | null {
  const ms = parseDuration(value);
  if (ms !== null) return now + ms;
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const at = Date.parse(value);
    return Number.isNaN(at) ? null : at;
  }
  return null;
}
