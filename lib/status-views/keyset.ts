import { z } from "zod";
import { Prisma } from "@/src/generated/prisma/client";

/**
 * Keyset paging for the status views: a page starts after the last row of the previous one, named by
 * its sort value and a unique tie-break (time, scope id, key), so rows never repeat or go missing as
 * pages are walked, and a deep page costs no more than the first (no OFFSET). The cursor is opaque
 * base64url JSON in the `after` URL parameter.
 */

const cursorSchema = z.object({
  /** the sort value of the last row as text (null when the row has none: those sort last) */
  v: z.string().max(400).nullable(),
  t: z.iso.datetime(),
  /** binding or Magento connection of the last row */
  b: z.uuid(),
  /** the row's key within it: entity id, customer key or order key */
  k: z.string().max(200),
});
export type ViewCursor = z.infer<typeof cursorSchema>;

export function encodeViewCursor(c: ViewCursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

/** A malformed cursor reads as "first page": it only ever comes from our own links. */
export function decodeViewCursor(s: string | null | undefined): ViewCursor | null {
  if (!s || s.length > 1200) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(s, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface KeysetColumns {
  /** the sort expression, or null when the order is by time alone */
  value: Prisma.Sql | null;
  /** SQL type the cursor's text value is cast to for comparison */
  type: "timestamptz" | "text" | "numeric" | "int";
  time: Prisma.Sql;
  scope: Prisma.Sql;
  /** the key column */
  key: Prisma.Sql;
  /** SQL type the cursor's key is cast to (text unless the key column is a number) */
  keyType?: "text" | "bigint";
  /**
   * The value is never null (e.g. the chip's rank): the order then says nothing about nulls, so a plain
   * index serves it in both directions, and the cursor compares the whole row at once (an index range).
   */
  notNull?: boolean;
}

/** ORDER BY for a keyset: value (nulls last), then time, scope and key, all in one direction. */
export function keysetOrder(c: KeysetColumns, dir: "asc" | "desc"): Prisma.Sql {
  const d = Prisma.raw(dir === "asc" ? "ASC" : "DESC");
  const tail = Prisma.sql`${c.time} ${d}, ${c.scope} ${d}, ${c.key} ${d}`;
  if (!c.value) return tail;
  return c.notNull ? Prisma.sql`${c.value} ${d}, ${tail}` : Prisma.sql`${c.value} ${d} NULLS LAST, ${tail}`;
}

/** Rows strictly after the cursor in `keysetOrder`; rows without a sort value come after all others. */
export function keysetAfter(c: KeysetColumns, dir: "asc" | "desc", cur: ViewCursor): Prisma.Sql {
  const op = Prisma.raw(dir === "asc" ? ">" : "<");
  const tail = Prisma.sql`(${c.time}, ${c.scope}, ${c.key}) ${op} (${cur.t}::timestamptz, ${cur.b}::uuid, ${cur.k}::${Prisma.raw(c.keyType ?? "text")})`;
  if (!c.value) return tail;
  if (c.notNull) {
    if (cur.v === null) return Prisma.sql`FALSE`;
    const key = Prisma.sql`${cur.k}::${Prisma.raw(c.keyType ?? "text")}`;
    return Prisma.sql`(${c.value}, ${c.time}, ${c.scope}, ${c.key}) ${op} (${cur.v}::${Prisma.raw(c.type)}, ${cur.t}::timestamptz, ${cur.b}::uuid, ${key})`;
  }
  if (cur.v === null) return Prisma.sql`(${c.value} IS NULL AND ${tail})`;
  const v = Prisma.sql`${cur.v}::${Prisma.raw(c.type)}`;
  return Prisma.sql`(${c.value} ${op} ${v} OR (${c.value} = ${v} AND ${tail}) OR ${c.value} IS NULL)`;
}
