import { settings } from "@/lib/env";

/**
 * Flow control shared by the five sync functions (sage-api §10):
 * - one Magento document at a time: runs with the same entity key never execute steps concurrently,
 *   across functions (an invoice and its payment share the key);
 * - a bounded number of steps in flight per Sage business, and a per-business start rate under Sage's
 *   request budget (≈100 requests/min; a run makes 2–4 requests), so a backfill queues instead of
 *   drawing 429s. Both are configurable for tests and for businesses with a different budget.
 */
// Read once, when the functions are defined (lib/env.ts `settings()`: no secret needed).
const knobs = settings();
export const SAGE_RUNS_PER_MINUTE = knobs.LEDGER_SAGE_RUNS_PER_MINUTE;
export const SAGE_PARALLEL_STEPS = knobs.LEDGER_SAGE_PARALLEL_STEPS;
type Retries = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20;
export const SYNC_RETRIES = knobs.LEDGER_SYNC_RETRIES as Retries;

export const syncFlowControl = {
  retries: SYNC_RETRIES,
  concurrency: [
    { key: "event.data.entityKey", limit: 1, scope: "env" },
    { key: "event.data.sageKey", limit: SAGE_PARALLEL_STEPS, scope: "env" },
  ] as [{ key: string; limit: number; scope: "env" }, { key: string; limit: number; scope: "env" }],
  throttle: {
    key: "event.data.sageKey",
    limit: SAGE_RUNS_PER_MINUTE,
    period: "1m" as const,
    burst: Math.max(1, Math.floor(SAGE_RUNS_PER_MINUTE / 6)),
  },
};

/** How long a payment or credit note waits, per round, for its invoice to reach Sage, and how many rounds. */
export const INVOICE_WAIT_TIMEOUT = knobs.LEDGER_INVOICE_WAIT_TIMEOUT;
export const INVOICE_WAIT_ROUNDS = knobs.LEDGER_INVOICE_WAIT_ROUNDS;
