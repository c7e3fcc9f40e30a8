import pino from "pino";

/**
 * The emulator's own logger. It deliberately does not import Ledger's `lib/log.ts`: the emulator
 * stands in for Sage and must not share code with the client under test. Token-like keys are
 * redacted all the same.
 */
const SECRET_KEYS = ["authorization", "access_token", "refresh_token", "client_secret", "code", "token", "secret"];

export const log = pino({
  // node --test sets NODE_TEST_CONTEXT in test processes; keep their output to warnings.
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" || process.env.NODE_TEST_CONTEXT ? "warn" : "info"),
  base: { service: "sage-emulator" },
  redact: { paths: SECRET_KEYS.flatMap((k) => [k, `*.${k}`]), censor: "[redacted]" },
  timestamp: pino.stdTimeFunctions.isoTime,
});
