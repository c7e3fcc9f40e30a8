import { parse } from "@marcbachmann/cel-js";

/**
 * CEL for trigger expressions, `if` conditions and keys (concurrency, throttle, idempotency).
 * Expressions are compiled once and cached. A missing field makes cel-js throw ("No such key");
 * Inngest treats such a condition as not matching, so conditions evaluate to `false` on error.
 */

type Compiled = ReturnType<typeof parse>;
const cache = new Map<string, Compiled>();

export type CelContext = Record<string, unknown>;

function compile(expr: string): Compiled {
  let fn = cache.get(expr);
  if (!fn) {
    fn = parse(expr);
    cache.set(expr, fn);
  }
  return fn;
}

/** Throws if the expression does not parse; used to refuse bad config at registration. */
export function assertParses(expr: string, field: string): void {
  try {
    compile(expr);
  } catch (err) {
    throw new Error(`${field}: invalid CEL expression "${expr}": ${(err as Error).message.split("\n")[0]}`);
  }
}

export function evalCondition(expr: string, ctx: CelContext): boolean {
  try {
    return compile(expr)(ctx) === true;
  } catch {
    return false;
  }
}

/**
 * Evaluates a key expression to a string. Returns `null` when it cannot be evaluated (for
 * example a missing field); callers decide the fallback and log it.
 */
export function evalKey(expr: string, ctx: CelContext): string | null {
  try {
    const value: unknown = compile(expr)(ctx);
    if (value === null || value === undefined) return null;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
      return String(value);
    }
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  } catch {
    return null;
  }
}
