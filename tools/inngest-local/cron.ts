import { CronExpressionParser } from "cron-parser";

/**
 * Cron triggers. Inngest accepts 5-field and 6-field (seconds) expressions and an optional
 * `TZ=Area/City ` prefix; cron-parser handles both field counts and the time zone.
 */
export interface ParsedCron {
  expression: string;
  tz: string | undefined;
}

export function parseCron(raw: string): ParsedCron {
  const m = /^(?:CRON_)?TZ=(\S+)\s+(.*)$/.exec(raw.trim());
  const parsed: ParsedCron = m ? { tz: m[1], expression: m[2] } : { tz: undefined, expression: raw.trim() };
  try {
    CronExpressionParser.parse(parsed.expression, { tz: parsed.tz, strict: false });
  } catch (err) {
    throw new Error(`cron "${raw}": ${(err as Error).message}`);
  }
  return parsed;
}

/** The first fire time strictly after `afterMs`. */
export function nextCronTime(raw: string, afterMs: number): number {
  const { expression, tz } = parseCron(raw);
  const it = CronExpressionParser.parse(expression, { tz, currentDate: new Date(afterMs) });
  return it.next().getTime();
}
