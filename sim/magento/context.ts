import type { Pool } from "./db.ts";
import type { SimLogger } from "./log.ts";

/** Everything a request or job needs: the store's identity, its database and its clock. */
export interface SimContext {
  pool: Pool;
  storeKey: string;
  log: SimLogger;
  /** Sim "wall clock" in ms: the injected clock plus the test-controlled offset. */
  nowMs(): number;
  /** PHP `time()`. */
  nowSeconds(): number;
  /** Outbound HTTP limits (cURL CONNECTTIMEOUT 5 s / TIMEOUT 15 s in the module). */
  http: { connectTimeoutMs: number; totalTimeoutMs: number };
}

export function formatIsoZ(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** MySQL-style `Y-m-d H:i:s` (UTC), as the module writes outbox timestamps. */
export function formatMysql(ms: number): string {
  return formatIsoZ(ms).replace("T", " ").replace("Z", "");
}

/** PHP `gmdate('c')`. */
export function formatAtom(ms: number): string {
  return formatIsoZ(ms).replace("Z", "+00:00");
}
