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

/**
 * An Inngest signing key as Inngest Cloud and `inngest start` issue it: `signkey-<env>-<hex>` (the SDK
 * hashes the hex part for its bearer token, so it must be hex).
 */
const signingKey = z
  .string()
  .trim()
  .regex(/^(signkey-[a-z0-9]+-)?(?:[0-9a-fA-F]{2}){16,}$/, "must be an Inngest signing key (`signkey-<env>-<hex>`, at least 32 hex digits)");

/** A duration such as `15m`, `90s`, `1h` or `500ms`, as milliseconds. */
export function parseDurationMs(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"]);
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
    /** How long a `running` sync run may go without progress before the sweep recovers it (lib/sync/lease.ts). */
    LEDGER_RUN_LEASE: z
      .string()
      .default("15m")
      .transform((v, ctx) => {
        const ms = parseDurationMs(v);
        if (ms === null || ms < 1000) {
          ctx.addIssue({ code: "custom", message: "must be a duration of at least 1s, such as `15m`, `900s` or `1h`" });
          return z.NEVER;
        }
        return ms;
      }),
    /**
     * Reverse proxies in front of the app that append the client's address to X-Forwarded-For; the
     * sign-in limits per address read the entry the outermost of them wrote. 0: no proxy, no
     * per-address limit (the header would be the client's own word).
     */
    LEDGER_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(1),
    /** Lease recoveries of one run before the sweep fails it as `internal`. */
    LEDGER_RUN_LEASE_RECOVERIES: z.coerce.number().int().min(0).max(100).default(3),
    /**
     * Inngest: the signing key proves every call to /api/inngest comes from Inngest (or the embedded
     * executor in signed mode); the event key lets the app send events. `INNGEST_DEV` turns signing
     * off in the SDK and is for `next dev` only.
     */
    INNGEST_SIGNING_KEY: signingKey.optional(),
    INNGEST_SIGNING_KEY_FALLBACK: signingKey.optional(),
    INNGEST_EVENT_KEY: z.string().trim().min(16, "must be at least 16 characters").optional(),
    INNGEST_BASE_URL: z.url().optional(),
    INNGEST_DEV: z.string().optional(),
  })
  .superRefine((e, ctx) => {
    const dev = e.NODE_ENV === "development";
    const wantsDevMode = Boolean(e.INNGEST_DEV) && !/^(0|false|no)$/i.test(e.INNGEST_DEV ?? "");
    const devServer = dev && wantsDevMode;
    if (!dev && wantsDevMode) {
      ctx.addIssue({
        code: "custom",
        path: ["INNGEST_DEV"],
        message: `must not be set with NODE_ENV=${e.NODE_ENV}: it makes the Inngest SDK accept unsigned calls to /api/inngest. It is for \`next dev\` only; use INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY (plus INNGEST_BASE_URL for a self-hosted or embedded executor)`,
      });
    }
    // Outside `next dev` with a dev server, /api/inngest only answers signed calls: without the key it
    // would answer none, and the app could not send events either.
    if (!devServer && !e.INNGEST_SIGNING_KEY) {
      ctx.addIssue({ code: "custom", path: ["INNGEST_SIGNING_KEY"], message: "is required: /api/inngest rejects every call that is not signed with it (from the Inngest dashboard, `inngest start --signing-key`, or the embedded executor's)" });
    }
    if (!devServer && !e.INNGEST_EVENT_KEY) {
      ctx.addIssue({ code: "custom", path: ["INNGEST_EVENT_KEY"], message: "is required to send events to Inngest (from the Inngest dashboard, `inngest start --event-key`, or the embedded executor's)" });
    }
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
