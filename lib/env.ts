import { z } from "zod";

/**
 * The environment, validated once with zod. Fail closed: a missing or malformed secret stops the app
 * at boot (instrumentation.ts calls `env()` in `register()`), never at the first request that needs it.
 */

const key32 = z
  .string({ error: "is required (32 random bytes, base64 or hex): generate one with `openssl rand -base64 32`" })
  .transform((s, ctx) => {
    const buf = decodeKey(s.trim());
    if (!buf || buf.length !== 32) {
      ctx.addIssue({ code: "custom", message: "must decode to exactly 32 bytes (base64 or 64 hex chars)" });
      return z.NEVER;
    }
    return buf;
  });

function decodeKey(s: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, "hex");
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) return Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  return null;
}

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no"])
  .transform((v) => v === "1" || v === "true" || v === "yes");

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z
      .string({ error: "is required (postgresql://user:pass@host:5432/db)" })
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
    /** AES-256-GCM key for every secret column (api keys, OAuth tokens). */
    LEDGER_ENCRYPTION_KEY: key32,
    /** Optional previous key, still accepted for decryption while rows are re-encrypted. */
    LEDGER_ENCRYPTION_KEY_PREVIOUS: key32.optional(),
    /** Auth.js session secret. */
    AUTH_SECRET: z.string({ error: "is required (at least 32 characters)" }).min(32, "must be at least 32 characters"),
    /** Public origin of this Ledger deployment: Magento posts webhooks here, Sage redirects back here. */
    LEDGER_BASE_URL: z.url().default("http://localhost:3000"),
    /** Allow Magento base URLs on private/loopback addresses (development, tests, demos). */
    LEDGER_ALLOW_PRIVATE_URLS: bool.optional(),
    /** Plan gating (lib/plans); a self-hosted install sets `false` to give every workspace every feature. */
    LEDGER_PLAN_GATING: bool.optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  })
  .transform((e) => ({
    ...e,
    LEDGER_BASE_URL: e.LEDGER_BASE_URL.replace(/\/+$/, ""),
    LEDGER_ALLOW_PRIVATE_URLS: e.LEDGER_ALLOW_PRIVATE_URLS ?? e.NODE_ENV !== "production",
    LEDGER_PLAN_GATING: e.LEDGER_PLAN_GATING ?? true,
  }));

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parse an environment object; throws EnvError listing every problem (names only, never values). */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`));
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated process environment (memoised). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
