import { z } from "zod";
import { assertParses } from "./cel.ts";
import { parseCron } from "./cron.ts";
import { requireDuration } from "./duration.ts";

/**
 * The allow-list of function config this executor implements. Anything else the SDK can send
 * (see `functionConfigSchema` in inngest's `types.ts`) is refused at registration, so product code
 * can never silently depend on a feature that only the real Inngest server honours.
 */
export const REFUSED_FIELDS = ["batchEvents", "rateLimit", "debounce", "timeouts", "priority", "singleton"] as const;

const concurrencyOption = z.strictObject({
  limit: z.number().int().min(1),
  key: z.string().optional(),
  scope: z.enum(["fn", "env", "account"]).optional(),
});

const trigger = z.union([
  z.strictObject({ event: z.string().min(1), expression: z.string().optional() }),
  z.strictObject({ cron: z.string().min(1), jitter: z.string().optional() }),
]);

const functionConfig = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  triggers: z.array(trigger),
  steps: z.strictObject({
    step: z.strictObject({
      id: z.literal("step"),
      name: z.string(),
      runtime: z.strictObject({
        type: z.literal("http", { error: 'only runtime type "http" is implemented (no connect/ws)' }),
        url: z.url(),
      }),
      retries: z.strictObject({ attempts: z.number().int().min(0).max(20).optional() }).optional(),
    }),
  }),
  idempotency: z.string().optional(),
  throttle: z
    .strictObject({
      limit: z.number().int().min(1),
      period: z.string(),
      key: z.string().optional(),
      burst: z.number().int().min(0).optional(),
    })
    .optional(),
  cancel: z.array(z.strictObject({ event: z.string().min(1), if: z.string().optional(), timeout: z.string().optional() })).optional(),
  concurrency: z.union([z.number().int().min(1), concurrencyOption, z.array(concurrencyOption).min(1).max(2)]).optional(),
});

export type FunctionConfig = z.infer<typeof functionConfig>;
export type ConcurrencyOption = z.infer<typeof concurrencyOption>;

export type ValidationResult = { ok: true; config: FunctionConfig } | { ok: false; id: string; reasons: string[] };

/** Default retries when the function sets none (Inngest's server default: 4 retries, 5 attempts). */
export const DEFAULT_RETRIES = 4;

export function maxAttempts(config: FunctionConfig): number {
  return (config.steps.step.retries?.attempts ?? DEFAULT_RETRIES) + 1;
}

export function concurrencyOptions(config: FunctionConfig): ConcurrencyOption[] {
  const c = config.concurrency;
  if (c === undefined) return [];
  if (typeof c === "number") return [{ limit: c }];
  return Array.isArray(c) ? c : [c];
}

function semanticChecks(config: FunctionConfig): string[] {
  const reasons: string[] = [];
  const check = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      reasons.push((err as Error).message);
    }
  };
  config.triggers.forEach((t, i) => {
    if ("cron" in t) {
      check(() => parseCron(t.cron));
      if (t.jitter !== undefined) check(() => requireDuration(t.jitter as string, `triggers[${i}].jitter`));
    } else if (t.expression !== undefined) {
      check(() => assertParses(t.expression as string, `triggers[${i}].expression`));
    }
  });
  if (config.idempotency !== undefined) check(() => assertParses(config.idempotency as string, "idempotency"));
  if (config.throttle) {
    const { period, key } = config.throttle;
    check(() => requireDuration(period, "throttle.period"));
    if (key !== undefined) check(() => assertParses(key, "throttle.key"));
  }
  config.cancel?.forEach((c, i) => {
    if (c.if !== undefined) check(() => assertParses(c.if as string, `cancel[${i}].if`));
    if (c.timeout !== undefined) check(() => requireDuration(c.timeout as string, `cancel[${i}].timeout`));
  });
  concurrencyOptions(config).forEach((c, i) => {
    if (c.key !== undefined) check(() => assertParses(c.key as string, `concurrency[${i}].key`));
  });
  return reasons;
}

/** Validates one function config from a register request against the allow-list. */
export function validateFunctionConfig(raw: unknown): ValidationResult {
  const id =
    typeof raw === "object" && raw !== null && typeof (raw as { id?: unknown }).id === "string" ? (raw as { id: string }).id : "<unknown>";
  const reasons: string[] = [];
  if (typeof raw === "object" && raw !== null) {
    for (const field of REFUSED_FIELDS) {
      if ((raw as Record<string, unknown>)[field] !== undefined) {
        reasons.push(`"${field}" is not implemented by inngest-local`);
      }
    }
  }
  const parsed = functionConfig.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        const unknown = issue.keys.filter((k) => !(REFUSED_FIELDS as readonly string[]).includes(k));
        if (unknown.length)
          reasons.push(`unknown config field(s) ${unknown.map((k) => `"${k}"`).join(", ")} at ${issue.path.join(".") || "<root>"}`);
      } else {
        reasons.push(`${issue.path.join(".") || "<root>"}: ${issue.message}`);
      }
    }
    return { ok: false, id, reasons };
  }
  reasons.push(...semanticChecks(parsed.data));
  return reasons.length ? { ok: false, id, reasons } : { ok: true, config: parsed.data };
}
