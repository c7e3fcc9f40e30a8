/**
 * Reconciliation cost: a month of N synced invoices (5,000; 300 with --short) reconciled against the
 * Sage emulator held to Sage's request budget (100 requests a minute per business). Reports the Sage
 * requests one reconciliation used, whether any was throttled, and its wall time as a ratio to one
 * list page of 200 invoices fetched in the same run (the unit Sage's side is read in).
 *
 *   node --import tsx bench/reconciliation.ts [--short]
 *   BENCH_RECON_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/ledger_recon_bench_test)
 *
 * The fixtures (Sage's stored invoices, Ledger's runs and cross-references) are written with SQL, as
 * the sync would have left them; what is measured is lib/reconciliation/run.ts over real HTTP.
 */
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import pg from "pg";

const SHORT = process.argv.includes("--short");
const N = SHORT ? 300 : 5_000;
const BUDGET_PER_MINUTE = 100;
const URL_ = process.env.BENCH_RECON_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ledger_recon_bench_test";
const dbName = decodeURIComponent(new URL(URL_).pathname.slice(1));
if (!dbName.endsWith("_test")) throw new Error(`refusing to use database ${dbName}: the name must end in _test`);

process.env.DATABASE_URL = URL_;
process.env.LEDGER_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.AUTH_SECRET ??= "bench-auth-secret-bench-auth-secret-0123456789";
process.env.INNGEST_SIGNING_KEY ??= `signkey-bench-${"5e".repeat(32)}`;
process.env.INNGEST_EVENT_KEY ??= "bench-event-key-0123456789abcdef";
process.env.LOG_LEVEL ??= "warn";

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = [], url = URL_): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

async function main() {
  const root = new URL(URL_);
  root.pathname = "/postgres";
  if (!(await sql("select 1 from pg_database where datname = $1", [dbName], root.toString())).length) {
    await sql(`create database "${dbName}"`, [], root.toString());
  }
  execFileSync(process.execPath, ["scripts/prisma-offline.mjs", "reset", "--force"], { env: process.env, stdio: "ignore" });

  const { startSageEmulator } = await import("../sim/sage/emulator");
  const { DEMO_BUSINESS_ID } = await import("../sim/sage/seed");
  const emu = await startSageEmulator({ databaseUrl: URL_, port: 0, rateLimitPerMinute: BUDGET_PER_MINUTE });
  try {
    const { sageEndpointsForOrigin } = await import("../lib/sage/config");
    const e = sageEndpointsForOrigin(emu.url, {
      clientId: "ledger-local",
      clientSecret: "ledger-local-secret",
      redirectUri: `${emu.url}/cb`,
    });
    Object.assign(process.env, {
      SAGE_CLIENT_ID: e.clientId,
      SAGE_CLIENT_SECRET: e.clientSecret,
      SAGE_REDIRECT_URI: e.redirectUri,
      SAGE_OAUTH_AUTHORIZE_URL: e.authorizeUrl,
      SAGE_OAUTH_TOKEN_URL: e.tokenUrl,
      SAGE_OAUTH_REVOKE_URL: e.revokeUrl,
      SAGE_API_BASE_URL: `${emu.url}/v3.1`,
    });
    const admin = async (method: string, path: string, body?: unknown) =>
      (
        await fetch(`${emu.url}/_admin${path}`, {
          method,
          headers: { "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      ).json();
    // The emulator's tables live in their own schema, which the Ledger reset above leaves alone.
    await admin("POST", "/reset", { data: true, tokens: true });
    const tok = (await admin("POST", "/tokens", { business_id: DEMO_BUSINESS_ID })) as {
      access_token: string;
      refresh_token: string;
      expires_in: number;
    };
    const api = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${emu.url}/v3.1${path}`, {
        method,
        headers: { authorization: `Bearer ${tok.access_token}`, "x-business": DEMO_BUSINESS_ID, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await r.json()) as Record<string, unknown> & { id: string; $items: { id: string; ledger_account_type?: unknown }[] };
    };

    // Ledger's side of one binding, as pairing and Connect Sage leave it.
    const { db } = await import("../lib/db");
    const { sealTokenSet } = await import("../lib/sage/custody");
    const { defaultPolicy } = await import("../lib/policy/schema");
    const tenant = await db().tenant.create({ data: { name: "Bench" } });
    const magento = await db().magentoConnection.create({ data: { tenantId: tenant.id, baseUrl: "https://shop.bench", status: "active" } });
    const conn = await db().sageConnection.create({
      data: { tenantId: tenant.id, businessId: DEMO_BUSINESS_ID, businessName: "Ledger Demo Ltd" },
    });
    const now = new Date();
    await db().sageConnection.update({
      where: { id: conn.id },
      data: sealTokenSet(conn.id, {
        accessToken: tok.access_token,
        refreshToken: tok.refresh_token,
        tokenType: "bearer",
        scope: "full_access",
        expiresAt: new Date(now.getTime() + tok.expires_in * 1000),
        refreshTokenExpiresAt: new Date(now.getTime() + 30 * 86_400_000),
        requestedById: null,
      }),
    });
    const binding = await db().binding.create({
      data: { tenantId: tenant.id, magentoConnectionId: magento.id, sageConnectionId: conn.id, status: "active" },
    });
    await db().syncPolicy.create({
      data: { bindingId: binding.id, version: 1, settings: { ...defaultPolicy(), invoice_number_prefix: "MAG-" }, changes: [] },
    });

    // One real invoice through Sage's API; N copies of it over March, stored as the emulator stores them.
    const ledgerAccounts = await api("GET", "/ledger_accounts?search=4000&attributes=all");
    const contact = await api("POST", "/contacts", { contact: { name: "Bench Ltd", reference: "BENCH", contact_type_ids: ["CUSTOMER"] } });
    const template = await api("POST", "/sales_invoices", {
      sales_invoice: {
        contact_id: contact.id,
        // Outside the period and without the store's prefix: the template itself is no document of the month.
        date: "2026-02-28",
        reference: "TEMPLATE",
        invoice_lines: [
          {
            description: "Mug",
            ledger_account_id: ledgerAccounts.$items[0].id,
            quantity: 2,
            unit_price: 10,
            tax_rate_id: "GB_STANDARD",
            tax_amount: 4,
          },
        ],
      },
    });
    await sql(
      `INSERT INTO sage_emu.records (business_id, kind, id, data, created_at, updated_at)
       SELECT business_id, kind, md5('inv' || g),
         data || jsonb_build_object('id', md5('inv' || g), 'displayed_as', 'SI-' || (g + 1), 'reference', 'MAG-' || g,
           'date', to_char(date '2026-03-01' + (g % 31), 'YYYY-MM-DD')), created_at, updated_at
       FROM sage_emu.records, generate_series(1, $2::int) g WHERE id = $1`,
      [template.id, N],
    );
    await sql(
      `INSERT INTO sync_runs (id, tenant_id, binding_id, event, entity_type, magento_entity_id, magento_increment_id, idempotency_key,
         status, provider_entity_id, provider_reference, policy_version, policy_snapshot, entity_summary, created_at, finished_at, updated_at)
       SELECT gen_random_uuid(), $1, $2, 'invoice.created', 'invoice', g, 'MAG-' || g, 'bench:' || g, 'succeeded', md5('inv' || g),
         'SI-' || (g + 1), 1, '{}'::jsonb,
         jsonb_build_object('total', 24, 'currency', 'GBP', 'incrementId', '' || g,
           'createdAt', to_char(date '2026-03-01' + (g % 31), 'YYYY-MM-DD') || ' 10:00:00'), now(), now(), now()
       FROM generate_series(1, $3::int) g`,
      [tenant.id, binding.id, N],
    );
    await sql(
      `INSERT INTO entity_xrefs (id, magento_connection_id, sage_business_id, binding_id, entity_type, magento_key, sage_id, sage_reference, data, updated_at)
       SELECT gen_random_uuid(), $1, $2, $3, 'sales_invoice', '' || g, md5('inv' || g), 'SI-' || (g + 1),
         jsonb_build_object('totalPence', 2400, 'currency', 'GBP', 'mismatches', '[]'::jsonb), now()
       FROM generate_series(1, $4::int) g`,
      [magento.id, DEMO_BUSINESS_ID, binding.id, N],
    );
    await admin("POST", "/reset", { stats: true, rate_limits: true });

    // Baseline: one list page of 200 invoices, as the reconciliation reads them (median of 3).
    const page = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await api(
        "GET",
        "/sales_invoices?from_date=2026-03-01&to_date=2026-03-31&items_per_page=200&attributes=reference,date,status,currency,total_amount",
      );
      page.push(performance.now() - t0);
    }
    const baselineMs = page.sort((a, b) => a - b)[1];
    await admin("POST", "/reset", { stats: true, rate_limits: true });

    const { runReconciliation } = await import("../lib/reconciliation/run");
    const rec = await db().reconciliation.create({
      data: { tenantId: tenant.id, bindingId: binding.id, periodStart: new Date("2026-03-01"), periodEnd: new Date("2026-03-31") },
    });
    const t0 = performance.now();
    const out = await runReconciliation(rec.id);
    const wallMs = performance.now() - t0;
    const stats = (await admin("GET", "/stats")) as { requests: Record<string, number>; throttled_429: number };
    const served = Object.values(stats.requests).reduce((a, n) => a + n, 0);
    if (out.rows !== N || out.differences !== 0)
      throw new Error(`expected ${N} matched rows, got ${out.rows} rows and ${out.differences} differences`);

    console.log(
      `reconciliation: ${N} synced invoices in one month, Sage budget ${BUDGET_PER_MINUTE} requests/min${SHORT ? " (--short)" : ""}`,
    );
    console.log("");
    console.log("| measure | value |");
    console.log("|---|---|");
    console.log(`| documents compared | ${out.rows} (all matched) |`);
    console.log(`| Sage requests used (Ledger's count / emulator's count) | ${out.sageCalls} / ${served} |`);
    console.log(`| requests per 1,000 invoices | ${((out.sageCalls / N) * 1000).toFixed(1)} |`);
    console.log(`| share of one minute's budget | ${((out.sageCalls / BUDGET_PER_MINUTE) * 100).toFixed(0)} % |`);
    console.log(`| throttled (429) | ${stats.throttled_429} |`);
    console.log(`| wall time | ${(wallMs / 1000).toFixed(2)} s |`);
    console.log(`| wall time ÷ one 200-invoice list page (${baselineMs.toFixed(0)} ms) | ${(wallMs / baselineMs).toFixed(1)} × |`);
    if (stats.throttled_429 > 0) throw new Error("the reconciliation went over Sage's request budget");
    await db().$disconnect();
  } finally {
    await emu.stop();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
