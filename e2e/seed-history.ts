import { writeFileSync } from "node:fs";
import type pg from "pg";
import { hashPassword } from "../lib/auth/password";

/**
 * Sync-history seed for the e2e suite: an active Acme binding with runs in every status, several
 * skip reasons and error classes, a failed run with two attempts whose payloads differ, invoices and
 * a customer with contacts; a synced invoice whose Sage total differs from Magento's (D11
 * total_mismatch); an operator and a viewer in Acme; a Rival binding with one run.
 */

export const OPERATOR = { email: "operator@acme.test", password: "acme-operator-password", name: "Oscar Operator" };
export const VIEWER = { email: "viewer@acme.test", password: "acme-viewer-password", name: "Vera Viewer" };
export const HISTORY_SEED_FILE = "test-results/seed-history.json";

export interface HistorySeed {
  acmeBindingId: string;
  failedRunId: string;
  skippedRunId: string;
  rivalRunId: string;
  /** SI-28: in Sage, but Sage holds a total a penny off Magento's (decisions D11) */
  mismatchRunId: string;
}

interface Run {
  event: string;
  entity: number;
  increment?: string;
  status: string;
  reason?: string;
  error?: string;
  message?: string;
  reference?: string;
  minutesAgo: number;
  attempts?: number;
  summary?: Record<string, unknown>;
}

async function binding(c: pg.Client, tenantId: string, host: string, business: string): Promise<string> {
  const { rows: [m] } = await c.query<{ id: string }>(
    "insert into magento_connections (id, tenant_id, base_url, status, updated_at) values (gen_random_uuid(), $1, $2, 'active', now()) returning id",
    [tenantId, `https://${host}`],
  );
  const { rows: [s] } = await c.query<{ id: string }>(
    "insert into sage_connections (id, tenant_id, business_id, business_name, updated_at) values (gen_random_uuid(), $1, $2, $3, now()) returning id",
    [tenantId, `biz-${host}`, business],
  );
  const { rows: [b] } = await c.query<{ id: string }>(
    "insert into bindings (id, tenant_id, magento_connection_id, sage_connection_id, status, updated_at) values (gen_random_uuid(), $1, $2, $3, 'active', now()) returning id",
    [tenantId, m.id, s.id],
  );
  return b.id;
}

async function run(c: pg.Client, tenantId: string, bindingId: string, r: Run): Promise<string> {
  const { rows: [row] } = await c.query<{ id: string }>(
    `insert into sync_runs (id, tenant_id, binding_id, event, entity_type, magento_entity_id, magento_increment_id, idempotency_key,
       status, reason_code, error_class, error_message, provider_entity_id, provider_reference, policy_version, policy_snapshot,
       entity_summary, attempt_count, created_at, started_at, finished_at, updated_at)
     values (gen_random_uuid(), $1, $2, $3::text, split_part($3::text, '.', 1), $4::int, $5, $3::text || ':' || $4::text, $6::text::"RunStatus", $7, $8, $9, $10, $11, 1, '{}'::jsonb,
       $12::jsonb, $13, now() - make_interval(mins => $14::int), now() - make_interval(mins => $14::int),
       case when $6::text in ('succeeded', 'failed', 'skipped_by_policy') then now() - make_interval(mins => $14::int) + interval '1.2 seconds' end, now())
     returning id`,
    [tenantId, bindingId, r.event, r.entity, r.increment ?? null, r.status, r.reason ?? null, r.error ?? null, r.message ?? null,
      r.reference ? `sage-${r.reference}` : null, r.reference ?? null, r.summary ? JSON.stringify(r.summary) : null, r.attempts ?? 1, r.minutesAgo],
  );
  return row.id;
}

const inv = (n: number, order: string, total: string) => ({ incrementId: `INV-${n}`, orderIncrementId: order, orderId: Number(order.replace(/\D/g, "")), customerName: `Customer ${n}`, customerEmail: `c${n}@acme.test`, total, currency: "GBP" });

export async function seedHistory(c: pg.Client, seed: { acmeTenantId: string; rivalTenantId: string }): Promise<void> {
  for (const [who, role] of [[OPERATOR, "operator"], [VIEWER, "viewer"]] as const) {
    const { rows: [u] } = await c.query<{ id: string }>(
      "insert into users (id, email, name, password_hash, updated_at) values (gen_random_uuid(), $1, $2, $3, now()) returning id",
      [who.email, who.name, await hashPassword(who.password)],
    );
    await c.query("insert into memberships (id, tenant_id, user_id, role) values (gen_random_uuid(), $1, $2, $3::\"Role\")", [seed.acmeTenantId, u.id, role]);
  }
  const acme = await binding(c, seed.acmeTenantId, "shop.acme.test", "Acme Outdoor Ltd");
  const runs: Run[] = [
    { event: "invoice.created", entity: 101, increment: "INV-101", status: "succeeded", reference: "SI-27", minutesAgo: 3, summary: inv(101, "O-9001", "120.00") },
    { event: "invoice.created", entity: 102, increment: "INV-102", status: "failed", error: "provider", message: "line_items.description: This field is required\n$source: invoice_lines[0].tax_rate_id — tax rate GB_STANDARD was deleted", minutesAgo: 5, attempts: 2, summary: inv(102, "O-9001", "80.00") },
    { event: "invoice.paid", entity: 101, increment: "INV-101", status: "skipped_by_policy", reason: "payment_method_not_mapped", minutesAgo: 7 },
    { event: "invoice.created", entity: 103, increment: "INV-103", status: "skipped_by_policy", reason: "outside_sync_since", minutesAgo: 9, summary: inv(103, "O-9002", "15.00") },
    { event: "creditmemo.created", entity: 201, increment: "CM-201", status: "skipped_by_policy", reason: "outside_sync_since", minutesAgo: 11, summary: { incrementId: "CM-201", customerName: "Customer 103", total: "15.00", currency: "GBP" } },
    { event: "invoice.created", entity: 104, increment: "INV-104", status: "skipped_by_policy", reason: "unpaid_invoice", minutesAgo: 13, summary: inv(104, "O-9003", "42.00") },
    { event: "customer.upserted", entity: 5, status: "failed", error: "validation", message: "Contact reference M5 is reserved by a deleted contact", minutesAgo: 15, summary: { name: "Jane Doe", email: "jane@acme.test" } },
    { event: "product.upserted", entity: 301, status: "failed", error: "http", message: "Sage answered 503 Service Unavailable", minutesAgo: 17, attempts: 4 },
    { event: "invoice.created", entity: 105, increment: "INV-105", status: "queued", minutesAgo: 1, attempts: 0, summary: inv(105, "O-9004", "9.99") },
    { event: "invoice.paid", entity: 105, increment: "INV-105", status: "waiting", message: "waiting for the invoice to reach Sage", minutesAgo: 1, attempts: 0 },
    { event: "invoice.created", entity: 106, increment: "INV-106", status: "succeeded", reference: "SI-28", minutesAgo: 30, summary: inv(106, "O-9005", "64.00") },
    { event: "invoice.paid", entity: 106, increment: "INV-106", status: "failed", error: "not_found", message: "Bank account 1200 no longer exists in Sage", minutesAgo: 25 },
    { event: "creditmemo.created", entity: 202, increment: "CM-202", status: "succeeded", reference: "CN-5", minutesAgo: 20, summary: { incrementId: "CM-202", customerName: "Customer 101", total: "20.00", currency: "GBP" } },
  ];
  const ids: string[] = [];
  for (const r of runs) ids.push(await run(c, seed.acmeTenantId, acme, r));
  const failedRunId = ids[1];
  const mismatchRunId = ids[10];
  const mismatch = (field: string, sage: number, magento: number) => ({ warning: "total_mismatch", document: "sales_invoice", sageId: "sage-SI-28", reference: "SI-28", field, after: "create", currency: "GBP", sage, magento });
  await c.query("update sync_runs set warnings = '{total_mismatch}', warning_details = $2::jsonb where id = $1", [
    mismatchRunId,
    JSON.stringify([mismatch("net_amount", 53.34, 53.33), mismatch("total_amount", 64.01, 64)]),
  ]);
  // Two attempts of the failed invoice: the operator changed the tax rate between them.
  const payload = (tax: string, extra: Record<string, unknown> = {}) => JSON.stringify({ sales_invoice: { contact_id: "c-1", invoice_lines: [{ description: "Tent", tax_rate_id: tax, unit_price: "80.00" }], ...extra } });
  await c.query(
    `insert into run_attempts (id, run_id, number, step, outcome, error_class, error_message, http_status, request_summary, response_summary, payload, started_at, duration_ms)
     values (gen_random_uuid(), $1, 1, 'post-invoice', 'failed', 'provider', 'line_items.description: This field is required', 422, '{"method":"POST","path":"/sales_invoices"}', '{"status":422,"$dataCode":"RecordInvalid"}', $2::jsonb, now() - interval '6 minutes', 840),
            (gen_random_uuid(), $1, 2, 'post-invoice', 'failed', 'provider', 'line_items.description: This field is required', 422, '{"method":"POST","path":"/sales_invoices"}', '{"status":422,"$dataCode":"RecordInvalid"}', $3::jsonb, now() - interval '5 minutes', 790)`,
    [failedRunId, payload("GB_STANDARD"), payload("GB_ZERO", { notes: "retried" })],
  );
  const { rows: [mc] } = await c.query<{ id: string }>("select magento_connection_id as id from bindings where id = $1", [acme]);
  for (const [key, currency, ref] of [["5", "GBP", "M5"], ["5", "EUR", "M5E"], ["guest:9f2c", "GBP", "G12"]]) {
    await c.query(
      `insert into entity_xrefs (id, magento_connection_id, sage_business_id, binding_id, entity_type, magento_key, currency, sage_id, sage_reference, data, updated_at)
       values (gen_random_uuid(), $1, 'biz-shop.acme.test', $2, 'contact', $3, $4, $5, $6, $7::jsonb, now())`,
      [mc.id, acme, key, currency, `sage-${ref}`, ref, JSON.stringify({ displayedAs: `Contact ${ref}` })],
    );
  }
  const rival = await binding(c, seed.rivalTenantId, "rival.test", "Rival Retail Ltd");
  const rivalRunId = await run(c, seed.rivalTenantId, rival, { event: "invoice.created", entity: 101, increment: "RIV-101", status: "failed", error: "auth", message: "Rival's secret failure", minutesAgo: 2 });
  const out: HistorySeed = { acmeBindingId: acme, failedRunId, skippedRunId: ids[3], rivalRunId, mismatchRunId };
  writeFileSync(HISTORY_SEED_FILE, JSON.stringify(out));
}
