import { randomBytes } from "node:crypto";
import { z } from "zod";

/**
 * Fault rules (sage-api §8.9). A rule matches by method and a path pattern (`*` = any characters,
 * matched against the pathname), fires with probability `rate`, and with `count` only the next N
 * times ("fail next N"). `phase: "after"` lets the request commit first and then fails the
 * response — the case idempotent retries exist for. `wrong_total` is not a failure at all: the
 * invoice or credit note is created and answered normally, but stores a total that is off by
 * `delta` — the silent arithmetic error a connector must notice (decisions D11).
 */
export const faultRuleSchema = z
  .strictObject({
    id: z.string().optional(),
    method: z.string().default("*"),
    path: z.string().min(1),
    kind: z.enum(["error", "rate_limit", "timeout", "wrong_total"]),
    /** HTTP status for `error` (500 UnexpectedError, 502, 503, 504). */
    status: z.number().int().min(500).max(599).default(500),
    /** Retry-After seconds for `rate_limit`; null omits the header (Sage does not document it). */
    retry_after: z.number().int().min(0).nullable().default(1),
    rate: z.number().min(0).max(1).default(1),
    count: z.number().int().min(1).optional(),
    phase: z.enum(["before", "after"]).default("before"),
    /** How long a `timeout` holds the request before dropping the socket; default SAGE_EMU_HANG_MS. */
    hang_ms: z.number().int().min(0).optional(),
    /** For `wrong_total`: what is added to the stored total and outstanding amount (default one penny). */
    delta: z.number().finite().default(0.01),
  })
  .refine((r) => r.kind !== "wrong_total" || r.phase === "before", {
    message: "a wrong_total fault acts while the document is created: phase must be before",
    path: ["phase"],
  });
export type FaultRule = z.output<typeof faultRuleSchema> & { id: string; fired: number };

const toRegex = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );

export class Faults {
  private rules: FaultRule[] = [];

  add(input: unknown): FaultRule {
    const parsed = faultRuleSchema.parse(input);
    const rule: FaultRule = { ...parsed, id: parsed.id ?? randomBytes(6).toString("hex"), fired: 0 };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return [...this.rules];
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule that fires for this request and phase; spends one of its `count`. */
  pick(method: string, path: string, phase: "before" | "after", random = Math.random): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.phase !== phase) continue;
      if (rule.method !== "*" && rule.method.toUpperCase() !== method) continue;
      if (!toRegex(rule.path).test(path)) continue;
      if (rule.rate < 1 && random() >= rule.rate) continue;
      rule.fired += 1;
      if (rule.count !== undefined) {
        rule.count -= 1;
        if (rule.count === 0) this.remove(rule.id);
      }
      return rule;
    }
    return undefined;
  }
}
