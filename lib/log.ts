import pino from "pino";
import { isTestRun, settings } from "@/lib/env";

/**
 * Structured logger. Secrets are redacted by key wherever they appear (two levels deep covers
 * `{ req: { headers: { authorization } } }` style objects), so a careless `log.info({ connection })`
 * still never prints an api key or OAuth token.
 */
const SECRET_KEYS = [
  "authorization",
  "apiKey",
  "api_key",
  "byte8_api_key",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "password",
  "passwordHash",
  "secret",
  "clientSecret",
  "client_secret",
  "token",
  "code",
  "pairing_code",
  "pairingCode",
  "cookie",
  "signingKey",
  "encryptedApiKey",
  "encryptedAccessToken",
  "encryptedRefreshToken",
];

const paths = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

// Non-secret settings only (lib/env.ts): the executor, the simulators and scripts log through here too.
const knobs = settings();

export const log = pino({
  level: knobs.LOG_LEVEL ?? (isTestRun() ? "warn" : "info"),
  base: { service: knobs.LEDGER_SERVICE_NAME },
  redact: { paths, censor: "[redacted]" },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = typeof log;

export function childLog(bindings: Record<string, unknown>): Logger {
  return log.child(bindings);
}
