import { z } from "zod";

/**
 * Every environment variable Ledger reads is read here, validated with zod, and documented in the
 * README's Configuration table (env.test.ts checks both). Fail closed: a missing or malformed secret
 * stops the app at boot (instrumentation.ts calls `env()` in `register()`), never at the first
 * request that needs it.
 *
 * Four views of one environment, because not every process that loads Ledger's modules is the app:
 * - `env()`: the whole app environment, secrets included (memoised);
 * - `settings()`: the non-secret knobs with defaults (logging, pool size, sync flow control, links).
 *   It needs no secret and no DATABASE_URL, so lib/log.ts and the jobs' flow control can read it in
 *   the executor, the simulators and scripts too. Read when asked, not memoised: a test may set a
 *   knob before the module that uses it is first imported. `env()` validates these too, at boot;
 * - `sageEnv()`: Sage's OAuth app and hosts, required only once Sage is used (lib/sage/config.ts);
 * - `inngestEnv()`: where the Inngest SDK sends its calls, as the SDK itself reads it (readiness).
 * The mode checks (`isProduction()` and friends) read NODE_ENV as Next inlines it at build time.
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
  .regex(
    /^(signkey-[a-z0-9]+-)?(?:[0-9a-fA-F]{2}){16,}$/,
    "must be an Inngest signing key (`signkey-<env>-<hex>`, at least 32 hex digits)",
  );

/** A duration such as `15m`, `90s`, `1h` or `500ms`, as milliseconds. */
export function parseDurationMs(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"]);
}

const bool = z.enum(["1", "0", "true", "false", "yes", "no"]).transform((v) => v === "1" || v === "true" || v === "yes");

const duration = (minMs: number, example: string) =>
  z.string().transform((v, ctx) => {
    const ms = parseDurationMs(v);
    if (ms === null || ms < minMs) {
      ctx.addIssue({ code: "custom", message: `must be a duration such as ${example}` });
      return z.NEVER;
    }
    return v.trim();
  });

/** The non-secret knobs: every one has a default, none is a secret (see `settings()`). */
const settingsShape = {
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  /** The `service` field of every log line (the executor and simulators name themselves). */
  LEDGER_SERVICE_NAME: z.string().trim().min(1).default("ledger"),
  /** Prisma's pool size per process. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  /** Sync runs started per Sage business per minute (the sync functions' throttle, lib/jobs/flow-control.ts). */
  LEDGER_SAGE_RUNS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Steps in flight per Sage business. */
  LEDGER_SAGE_PARALLEL_STEPS: z.coerce.number().int().min(1).default(4),
  /** Inngest retries per step of a sync function; Inngest allows 0–20, larger values are capped. */
  LEDGER_SYNC_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .default(10)
    .transform((n) => Math.min(20, n)),
  /** How long a payment or credit note waits for its invoice per round (an Inngest duration), and how many rounds. */
  LEDGER_INVOICE_WAIT_TIMEOUT: duration(1000, "`10m`, `90s` or `1h`").default("10m"),
  LEDGER_INVOICE_WAIT_ROUNDS: z.coerce.number().int().min(0).default(36),
  /** A Sage UI origin for "view in Sage" links (the emulator's in demos); unset or invalid: no links. */
  SAGE_UI_BASE_URL: z.url().optional().catch(undefined),
};

export const settingsSchema = z.object(settingsShape);
export type Settings = z.infer<typeof settingsSchema>;

export const envSchema = z
  .object({
    ...settingsShape,
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
    /**
     * Where alert emails go out (lib/alerts/email.ts): `smtp://user:pass@host:587` or `smtps://…`.
     * Unset: the email channel is off, and the alert log and settings page say so.
     */
    LEDGER_SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    /** The From of alert emails. */
    LEDGER_ALERT_FROM: z.string().trim().min(3).default("Ledger alerts <alerts@ledger.invalid>"),
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
      ctx.addIssue({
        code: "custom",
        path: ["INNGEST_SIGNING_KEY"],
        message:
          "is required: /api/inngest rejects every call that is not signed with it (from the Inngest dashboard, `inngest start --signing-key`, or the embedded executor's)",
      });
    }
    if (!devServer && !e.INNGEST_EVENT_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["INNGEST_EVENT_KEY"],
        message:
          "is required to send events to Inngest (from the Inngest dashboard, `inngest start --event-key`, or the embedded executor's)",
      });
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
    throw new EnvError(problemsOf(result.error));
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated process environment (memoised). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`);
}

/** The non-secret knobs (see the header): no secret or database needed; read afresh on every call. */
export function settings(source: Record<string, string | undefined> = process.env): Settings {
  const result = settingsSchema.safeParse(source);
  if (!result.success) throw new EnvError(problemsOf(result.error));
  return result.data;
}

/**
 * The mode this code was built for. Next inlines `process.env.NODE_ENV` into its bundles when it
 * builds them (`next build` makes a production build whatever NODE_ENV the server later runs with;
 * `next dev` a development one), and tsx reads it at run time; so the mode checks below read it in
 * this literal form, the one Next replaces.
 */
function builtFor(): string | undefined {
  return process.env.NODE_ENV;
}

/** A production build (`next start`, the image): secure cookies, HSTS. */
export function isProduction(): boolean {
  return builtFor() === "production";
}

/** `next dev`: the one mode in which the Inngest SDK may run unsigned (lib/jobs/signed.ts). */
export function isNextDev(): boolean {
  return builtFor() === "development";
}

/** Under the test runner (quieter logs by default). */
export function isTestRun(): boolean {
  return builtFor() === "test";
}

const httpUrl = z.url({ protocol: /^https?$/ });

export const SAGE_DEFAULTS = {
  authorizeUrl: "https://www.sageone.com/oauth2/auth/central?filter=apiv3.1",
  tokenUrl: "https://oauth.accounting.sage.com/token",
  revokeUrl: "https://oauth.accounting.sage.com/revoke",
  apiBaseUrl: "https://api.accounting.sage.com/v3.1",
} as const;

/** Sage's OAuth app and hosts (D8): the defaults are real Sage; the demo and tests point them at the emulator. */
export const sageEnvSchema = z.object({
  SAGE_OAUTH_AUTHORIZE_URL: httpUrl.default(SAGE_DEFAULTS.authorizeUrl),
  SAGE_OAUTH_TOKEN_URL: httpUrl.default(SAGE_DEFAULTS.tokenUrl),
  SAGE_OAUTH_REVOKE_URL: httpUrl.default(SAGE_DEFAULTS.revokeUrl),
  SAGE_API_BASE_URL: httpUrl.default(SAGE_DEFAULTS.apiBaseUrl),
  SAGE_CLIENT_ID: z.string().min(1),
  SAGE_CLIENT_SECRET: z.string().min(1),
  SAGE_REDIRECT_URI: httpUrl,
});
export type SageEnv = z.infer<typeof sageEnvSchema>;

/**
 * Sage's settings, required only once Sage is used. Empty strings count as unset, so
 * `SAGE_API_BASE_URL=` in a .env file falls back to the default. Throws naming the offending
 * variables only — never their values, since one of them is the client secret.
 */
export function sageEnv(source: Record<string, string | undefined> = process.env): SageEnv {
  const blankless = Object.fromEntries(Object.entries(source).map(([k, v]) => [k, v === "" ? undefined : v]));
  const parsed = sageEnvSchema.safeParse(blankless);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))].sort();
    throw new Error(`Invalid Sage configuration: check ${names.join(", ")}`);
  }
  return parsed.data;
}

/**
 * Where the Inngest SDK sends its calls, read as the SDK reads it (it takes these from the process
 * environment itself); lib/readiness/inngest.ts probes the same server. `INNGEST_API_BASE_URL` is the
 * SDK's own override of `INNGEST_BASE_URL` for API calls.
 */
export function inngestEnv(source: Record<string, string | undefined> = process.env): {
  INNGEST_DEV?: string;
  INNGEST_BASE_URL?: string;
  INNGEST_API_BASE_URL?: string;
  INNGEST_SIGNING_KEY?: string;
} {
  const { INNGEST_DEV, INNGEST_BASE_URL, INNGEST_API_BASE_URL, INNGEST_SIGNING_KEY } = source;
  return { INNGEST_DEV, INNGEST_BASE_URL, INNGEST_API_BASE_URL, INNGEST_SIGNING_KEY };
}
