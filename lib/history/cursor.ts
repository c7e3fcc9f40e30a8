import { z } from "zod";

/**
 * Keyset cursor: the last row's sort value plus (createdAt, id), which together are unique, so pages
 * never skip or repeat rows even when many runs share one timestamp. Opaque base64url JSON in the URL.
 */
const cursorSchema = z.object({
  /** sort value of the last row: status/event name, duration ms or attempt count; null for time */
  v: z.union([z.string().max(64), z.number(), z.null()]),
  t: z.iso.datetime(),
  id: z.uuid(),
});
export type Cursor = z.infer<typeof cursorSchema>;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

/** A malformed cursor reads as "first page" rather than an error: it only ever comes from our own links. */
export function decodeCursor(s: string | null | undefined): Cursor | null {
  if (!s || s.length > 400) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(s, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
