import pg from "pg";
import type { MagentoConnection } from "@/lib/db";
import { env } from "@/lib/env";
import { childLog } from "@/lib/log";

/**
 * A short-lived, per-process memory of the connections whose tokens this instance verified: the row
 * and the outbound subkey derived from its api key, so a webhook's signature check costs no database
 * read, no vault decryption and no key derivation. Rotation and disconnect must win at once on every instance, so the cache is trusted
 * only while this process LISTENs on `magento_connection_changed`, which a trigger on
 * `magento_connections` notifies on every update and delete (migration
 * 20261205220910_run_dispatched_at_and_key_notify). A notification drops the entry; losing the
 * listening connection drops everything and the cache stays off until it is back (fail closed: reads
 * go to the database). Entries also expire after a few seconds, so a missed notification is bounded.
 *
 * Needs a direct PostgreSQL session for LISTEN (not a transaction-mode pooler).
 */

const CHANNEL = "magento_connection_changed";
const TTL_MS = 30_000;
const RECONNECT_AFTER_MS = 2_000;

export interface CachedConnection {
  row: MagentoConnection;
  /** The outbound subkey derived from the decrypted master key; null when the row has none (revoked, pending). */
  outboundSubkey: Buffer | null;
}

interface State {
  entries: Map<string, CachedConnection & { expiresAt: number }>;
  /** Bumped on every invalidation: a read that started before one must not be cached after it. */
  generation: number;
  listening: boolean;
  connecting: boolean;
  nextAttemptAt: number;
  client: pg.Client | null;
}

const log = childLog({ component: "magento.key-cache" });
const g = globalThis as unknown as { __ledgerKeyCache?: State };
const state = (g.__ledgerKeyCache ??= {
  entries: new Map(),
  generation: 0,
  listening: false,
  connecting: false,
  nextAttemptAt: 0,
  client: null,
});

function dropAll(): void {
  state.entries.clear();
  state.generation++;
}

async function listen(): Promise<void> {
  state.connecting = true;
  const client = new pg.Client({ connectionString: env().DATABASE_URL });
  const lost = (why: string) => {
    if (state.client !== client) return;
    log.warn({ why }, "key cache listener lost; verifying against the database until it is back");
    state.client = null;
    state.listening = false;
    state.nextAttemptAt = Date.now() + RECONNECT_AFTER_MS;
    dropAll();
    client.end().catch(() => undefined);
  };
  try {
    client.on("notification", (n) => {
      if (n.channel !== CHANNEL) return;
      state.generation++;
      if (n.payload) state.entries.delete(n.payload);
    });
    client.on("error", (e) => lost(e.message));
    client.on("end", () => lost("connection ended"));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    // The listener must never keep a process alive on its own (tests, scripts, a draining server).
    (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
    state.client = client;
    dropAll();
    state.listening = true;
  } catch (e) {
    state.nextAttemptAt = Date.now() + RECONNECT_AFTER_MS;
    log.warn({ err: e instanceof Error ? e.message : String(e) }, "key cache listener could not start");
    client.end().catch(() => undefined);
  } finally {
    state.connecting = false;
  }
}

/** The cached connection, if this instance may trust its cache right now; starts the listener on first use. */
export function cachedConnection(connectionId: string): CachedConnection | undefined {
  if (!state.listening) {
    if (!state.connecting && Date.now() >= state.nextAttemptAt) void listen();
    return undefined;
  }
  const hit = state.entries.get(connectionId);
  if (!hit) return undefined;
  if (hit.expiresAt <= Date.now()) {
    state.entries.delete(connectionId);
    return undefined;
  }
  return { row: hit.row, outboundSubkey: hit.outboundSubkey };
}

/** Call before reading a connection from the database; pass the value to `rememberConnection`. */
export function cacheGeneration(): number {
  return state.generation;
}

/** Cache what a read returned, unless an invalidation arrived since the read began. */
export function rememberConnection(entry: CachedConnection, generationAtRead: number): void {
  if (!state.listening || state.generation !== generationAtRead) return;
  state.entries.set(entry.row.id, { ...entry, expiresAt: Date.now() + TTL_MS });
}

/** This process's own change (disconnect, rotation): drop it without waiting for the notification. */
export function forgetConnection(connectionId: string): void {
  state.generation++;
  state.entries.delete(connectionId);
}

/** True once the listener is up (tests wait for it before asserting cross-instance invalidation). */
export function keyCacheListening(): boolean {
  return state.listening;
}
