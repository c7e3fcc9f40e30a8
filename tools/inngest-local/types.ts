import { z } from "zod";
import type pg from "pg";
import type { Logger } from "../../lib/log.ts";

/** An event as stored and as sent to the SDK (`event` / `events` in a call request). */
export const eventSchema = z.looseObject({
  id: z.string().min(1).optional(),
  name: z.string().min(1),
  data: z.record(z.string(), z.unknown()).optional(),
  ts: z.number().optional(),
  user: z.unknown().optional(),
  v: z.string().optional(),
});
export type IncomingEvent = z.infer<typeof eventSchema>;

export interface EventPayload {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  user?: unknown;
  v?: string;
}

/** A memoised step result as the SDK reads it from `steps`. */
export type StepResult = { data: unknown } | { error: unknown };

export interface ConcurrencyKey {
  key: string;
  limit: number;
}

export interface ExecutorOptions {
  leaseMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxNetworkRetries: number;
  requestTimeoutMs: number;
  signingKeys: string[];
  eventKey: string | undefined;
}

/** Shared state every module gets: pool, logger, options, and a way to wake the scheduler. */
export interface ExecutorContext {
  pool: pg.Pool;
  log: Logger;
  opts: ExecutorOptions;
  wake: () => void;
}

export const ACTIVE_STATUSES = ["Queued", "Running"] as const;
export type RunStatus = "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";

export const internalEvents = {
  finished: "inngest/function.finished",
  failed: "inngest/function.failed",
  cancelled: "inngest/function.cancelled",
  invoked: "inngest/function.invoked",
  scheduled: "inngest/scheduled.timer",
} as const;
