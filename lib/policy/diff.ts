import { mapEntryKey } from "./field-errors";
import type { Policy } from "./schema";

/**
 * What changed between two policy versions, as stored in `sync_policies.changes` and shown in the
 * version history: one entry per changed setting, map settings per entry, nested groups per field.
 */
export interface PolicyChange {
  key: string;
  before: unknown;
  after: unknown;
}

const MAP_SETTINGS = ["tax_rate_map", "payment_method_map", "product_type_eu_goods_map"] as const;
const GROUP_SETTINGS = ["b2c_consolidation"] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function diffRecord(
  prefix: (k: string) => string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  out: PolicyChange[],
): void {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const k of keys) {
    const b = Object.hasOwn(before, k) ? before[k] : undefined;
    const a = Object.hasOwn(after, k) ? after[k] : undefined;
    if (!same(b, a) || Object.hasOwn(before, k) !== Object.hasOwn(after, k)) {
      out.push({ key: prefix(k), before: b === undefined ? null : b, after: a === undefined ? null : a });
    }
  }
}

/** Changed keys in a stable order (the policy's own key order). Removed map entries have `after: null`. */
export function diffPolicies(before: Policy, after: Policy): PolicyChange[] {
  const out: PolicyChange[] = [];
  for (const key of Object.keys(after) as (keyof Policy)[]) {
    if ((MAP_SETTINGS as readonly string[]).includes(key)) {
      diffRecord((k) => mapEntryKey(key, k), before[key] as Record<string, unknown>, after[key] as Record<string, unknown>, out);
    } else if ((GROUP_SETTINGS as readonly string[]).includes(key)) {
      diffRecord((k) => `${key}.${k}`, before[key] as Record<string, unknown>, after[key] as Record<string, unknown>, out);
    } else if (!same(before[key], after[key])) {
      out.push({ key, before: before[key], after: after[key] });
    }
  }
  return out;
}
