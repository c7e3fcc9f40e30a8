import "@/test/support/env";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import pg from "pg";
import { appVault, secretContext } from "@/lib/crypto";
import { db } from "@/lib/db";
import { deriveSubkey } from "@/sim/magento/module/keys";
import { startSyncStack, TEST_SAGE_CLIENT, type SyncStack } from "@/test/support/sync-stack";
import { storeApiKey } from "./storm";

/**
 * Run by secrets.int.test.ts as a child process, so the test can capture every log line the pipeline
 * writes (pino writes straight to fd 1). Drives invoices, payments, credit memos and a forced token
 * refresh through the whole stack, then writes the secrets that were live during the run to
 * SECRETS_OUT — each one checked against the emulator's own token hashes, so they are the real ones.
 */

const out = process.env.SECRETS_OUT;
if (!out) throw new Error("SECRETS_OUT must name the file for the secrets");
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

async function liveTokens(s: SyncStack): Promise<string[]> {
  const row = await db().sageConnection.findUniqueOrThrow({ where: { id: s.sageConnectionId } });
  const vault = appVault();
  const tokens = [
    vault.decrypt(row.encryptedAccessToken!, secretContext.sageAccessToken(row.id)),
    vault.decrypt(row.encryptedRefreshToken!, secretContext.sageRefreshToken(row.id)),
  ];
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    const { rows } = await c.query<{ token_hash: string }>("SELECT token_hash FROM sage_emu.oauth_tokens");
    const known = new Set(rows.map((r) => r.token_hash));
    for (const t of tokens) if (!known.has(sha256(t)) && !known.has(t)) throw new Error("a decrypted token is unknown to the emulator");
  } finally {
    await c.end();
  }
  return tokens;
}

type Created = { invoice: { entity_id: number } };

async function main(): Promise<void> {
  process.env.LEDGER_SAGE_RUNS_PER_MINUTE = "600";
  const s = await startSyncStack();
  try {
    await s.savePolicy({ payment_method_map: { stripe_payments: s.refs.cardBank, checkmo: s.refs.currentBank } });
    const signingKey = process.env.INNGEST_SIGNING_KEY!;
    const secrets = new Set<string>([
      TEST_SAGE_CLIENT.secret,
      process.env.AUTH_SECRET!,
      process.env.LEDGER_ENCRYPTION_KEY!,
      signingKey,
      signingKey.replace(/^signkey-\w+-/, ""),
      process.env.INNGEST_EVENT_KEY!,
    ]);
    const apiKey = await storeApiKey();
    secrets.add(apiKey);
    for (const purpose of ["outbound", "inbound"] as const) {
      const k = deriveSubkey(apiKey, purpose);
      secrets.add(k.toString("hex"));
      secrets.add(k.toString("base64url"));
    }
    for (const t of await liveTokens(s)) secrets.add(t);

    await s.magento("POST", "products", { sku: "SEC-1", name: "Safe", type_id: "simple", price: 99, tax_class_id: 2 });
    const customer = (await s.magento("POST", "customers", {
      email: "secret@example.com",
      firstname: "Sid",
      lastname: "Secret",
      country: "GB",
    })) as unknown as { entity_id: number };
    const paid = (await s.magento("POST", "orders", {
      customer_id: customer.entity_id,
      lines: [{ sku: "SEC-1", qty: 1, tax_percent: 20 }],
      payment_method: "stripe_payments",
      invoice_state: "paid",
    })) as unknown as Created;
    const open = (await s.magento("POST", "orders", {
      guest: { email: "g@example.com", firstname: "Gil", lastname: "Guest" },
      lines: [{ sku: "SEC-1", qty: 2, tax_percent: 20 }],
      payment_method: "checkmo",
      invoice_state: "open",
    })) as unknown as Created;
    await s.settle();
    // Rotate the tokens mid-run: the new pair must be just as invisible.
    await s.sageAdmin("POST", "/expire-access-tokens");
    await s.magento("POST", `invoices/${open.invoice.entity_id}/pay`);
    await s.magento("POST", "creditmemos", { invoice_id: paid.invoice.entity_id, refund: "online" });
    await s.magento("POST", "creditmemos", { invoice_id: open.invoice.entity_id, refund: "offline", link_invoice: true });
    await s.settle();
    for (const t of await liveTokens(s)) secrets.add(t);

    const runs = await s.runs();
    writeFileSync(out!, JSON.stringify({ secrets: [...secrets], runs: runs.map((r) => ({ event: r.event, status: r.status })) }));
  } finally {
    await s.stop();
    await db().$disconnect();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`secrets scenario failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
