/**
 * PostgreSQL cannot store U+0000 in text or jsonb, and Magento (MySQL) can: a NUL byte in a webhook
 * body or in a canonical entity would otherwise fail the insert (a 500 at intake, which Magento retries
 * for days, or a run that can never record what it fetched). It is never meaningful in a name, an
 * address or a reference, so it is replaced with U+FFFD (visibly "something was here") and the run
 * records the warning below.
 */

export const NUL_WARNING = "nul_bytes_replaced";
const REPLACEMENT = "\uFFFD";
const NUL = /\u0000/g;

/** The text with every NUL replaced, and how many there were. */
export function replaceNulText(text: string): { text: string; replaced: number } {
  let replaced = 0;
  const out = text.replace(NUL, () => {
    replaced++;
    return REPLACEMENT;
  });
  return { text: out, replaced };
}

/** A deep copy of a JSON value with NUL replaced in every string and key, and how many there were. */
export function replaceNul<T>(value: T): { value: T; replaced: number } {
  let replaced = 0;
  const clean = (v: unknown): unknown => {
    if (typeof v === "string") {
      if (!v.includes("\u0000")) return v;
      const r = replaceNulText(v);
      replaced += r.replaced;
      return r.text;
    }
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [clean(k) as string, clean(x)]));
    return v;
  };
  const value2 = clean(value) as T;
  return { value: value2, replaced };
}
