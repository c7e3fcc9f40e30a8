import { createParser } from "nuqs/server";
import { z } from "zod";

/**
 * Building blocks for URL state (nuqs parsers) whose rules are zod schemas, so a query value is
 * checked exactly as every other boundary is. A value the schema refuses reads as absent: links only
 * come from our own pages, and a hand-edited one should still open (with that filter left out).
 */

export function zodParam<T>(schema: z.ZodType<T>, serialize: (value: T) => string) {
  return createParser<T>({
    parse: (raw) => {
      const r = schema.safeParse(raw);
      return r.success ? r.data : null;
    },
    serialize,
  });
}

/** An instant with its offset (`2026-05-01T00:00:00Z`, `…+02:00`), written back as UTC ISO. */
export const dateParam = createParser<Date>({
  parse: (raw) => {
    const r = z.iso.datetime({ offset: true }).safeParse(raw);
    return r.success ? new Date(r.data) : null;
  },
  serialize: (d) => d.toISOString(),
  eq: (a, b) => a.getTime() === b.getTime(),
});
