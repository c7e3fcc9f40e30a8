import pg from "pg";
import { mintOutboundForApiKey } from "@/sim/magento/module/jwt";
import type { SyncStack } from "@/test/support/sync-stack";

/**
 * Test-only: deliveries Magento would make, made directly — the simulator's own pending outbox rows
 * (body and Idempotency-Key exactly as queued), each POSTed with a fresh module-style JWT, so a test can
 * repeat one delivery as often and as concurrently as it likes.
 */

export interface OutboxRow {
  entity_id: number;
  event_name: string;
  payload: string;
  idempotency_key: string;
}

/** The store's api key as Magento holds it (plaintext in its config table). */
export async function storeApiKey(): Promise<string> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    const { rows } = await c.query<{ value: string }>(
      "SELECT value FROM magento_sim.core_config_data WHERE path = 'byte8/client/api_key' AND value <> ''",
    );
    if (rows.length !== 1) throw new Error(`expected one paired store in the simulator, found ${rows.length}`);
    return rows[0].value;
  } finally {
    await c.end();
  }
}

export async function pendingOutbox(s: SyncStack): Promise<OutboxRow[]> {
  const out = (await s.magento("GET", "outbox?status=pending")) as unknown as { rows?: OutboxRow[] } | OutboxRow[];
  return Array.isArray(out) ? out : (out.rows ?? []);
}

/** POST one outbox row to Ledger as the module's drain would; returns the HTTP status. */
export async function deliver(s: SyncStack, apiKey: string, row: OutboxRow): Promise<{ status: number; body: string }> {
  const res = await fetch(`${s.ledgerUrl}/webhooks/magento/${encodeURIComponent(s.magentoConnectionId)}/${row.event_name}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${mintOutboundForApiKey(apiKey, s.magentoConnectionId, Math.floor(Date.now() / 1000))}`,
      "content-type": "application/json",
      "idempotency-key": row.idempotency_key,
    },
    body: row.payload,
  });
  return { status: res.status, body: await res.text() };
}

type Listing = { $total: number };

/** Documents of one kind in the emulator's connected business (a list's $total). */
export async function sageCount(s: SyncStack, path: string): Promise<number> {
  return ((await s.sage(path)) as unknown as Listing).$total;
}
