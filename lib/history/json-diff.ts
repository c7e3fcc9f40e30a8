/**
 * A small structural diff of two JSON values — what changed in the Sage payload between two attempts
 * of a run (usually because the operator fixed a setting and retried). Objects compare by key, arrays
 * by index; paths read like `sales_invoice.invoice_lines[0].tax_rate.id`.
 */

export type DiffKind = "added" | "removed" | "changed";

export interface DiffEntry {
  path: string;
  kind: DiffKind;
  before?: unknown;
  after?: unknown;
}

const MAX_ENTRIES = 200;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

export function jsonDiff(before: unknown, after: unknown): DiffEntry[] {
  const out: DiffEntry[] = [];
  walk(before, after, "", out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: DiffEntry[]): void {
  if (out.length >= MAX_ENTRIES) return;
  if (isObject(a) && isObject(b)) {
    for (const k of Object.keys(a)) {
      if (!(k in b)) out.push({ path: join(path, k), kind: "removed", before: a[k] });
      else walk(a[k], b[k], join(path, k), out);
    }
    for (const k of Object.keys(b)) if (!(k in a)) out.push({ path: join(path, k), kind: "added", after: b[k] });
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (i >= b.length) out.push({ path: join(path, i), kind: "removed", before: a[i] });
      else if (i >= a.length) out.push({ path: join(path, i), kind: "added", after: b[i] });
      else walk(a[i], b[i], join(path, i), out);
    }
    return;
  }
  if (!Object.is(a, b) && JSON.stringify(a) !== JSON.stringify(b))
    out.push({ path: path || "(root)", kind: "changed", before: a, after: b });
}
