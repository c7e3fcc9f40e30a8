import pino from "pino";

/**
 * The simulator's own logger. It deliberately does not import Ledger's `lib/log.ts`: the simulator
 * stands in for the PHP module and must share no code with the system under test.
 */
export const simLog = pino({
  level: process.env.MAGENTO_SIM_LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { service: "magento-sim" },
  redact: {
    paths: ["apiKey", "api_key", "byte8_api_key", "authorization", "pairing_code", "code", "*.apiKey", "*.authorization"],
    censor: "[redacted]",
  },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type SimLogger = typeof simLog;
