import { writeFileSync } from "node:fs";
import type { MagentoEvent } from "../lib/magento/events";
import type { RunStatusName } from "../lib/status-views/vocabulary";
import type { RunSpec } from "../test/support/builders/runs";

/**
 * Sync-history seed for the e2e suite: an active Acme binding with runs in every status, several
 * skip reasons and error classes, a failed run with two attempts whose payloads differ, invoices and
 * a customer with contacts; a synced invoice whose Sage total differs from Magento's (D11
 * total_mismatch); an operator and a viewer in Acme; a Rival binding with one run. Built with the
 * integration tests' builders (test/support/builders), imported only when seeding so the specs that
 * read the constants below never load the database client.
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
  event: MagentoEvent;
  entity: number;
  increment?: string;
  status: RunStatusName;
  reason?: string;
  error?: string;
  message?: string;
  reference?: string;
  minutesAgo: number;
  attempts?: number;
  summary?: Record<string, string | number>;
}

const TERMINAL: readonly string[] = ["succeeded", "failed", "skipped_by_policy"];

/** A run as the engine leaves it: started when created, settled 1.2 s later unless still live. */
function runSpec(bindingId: string, r: Run): RunSpec {
  const createdAt = new Date(Date.now() - r.minutesAgo * 60_000);
  return {
    bindingId,
    event: r.event,
    entityId: r.entity,
    incrementId: r.increment,
    idempotencyKey: `${r.event}:${r.entity}`,
    status: r.status,
    reasonCode: r.reason,
    errorClass: r.error,
    errorMessage: r.message,
    providerEntityId: r.reference ? `sage-${r.reference}` : undefined,
    providerReference: r.reference,
    summary: r.summary,
    attemptCount: r.attempts ?? 1,
    createdAt,
    startedAt: createdAt,
    finishedAt: TERMINAL.includes(r.status) ? new Date(createdAt.getTime() + 1200) : null,
  };
}

const inv = (n: number, order: string, total: string) => ({
  incrementId: `INV-${n}`,
  orderIncrementId: order,
  orderId: Number(order.replace(/\D/g, "")),
  customerName: `Customer ${n}`,
  customerEmail: `c${n}@acme.test`,
  total,
  currency: "GBP",
});

export async function seedHistory(seed: { acmeTenantId: string; rivalTenantId: string }): Promise<void> {
  const [{ makeBinding, makeMember }, { addAttempts, insertRuns, makeXref }] = await Promise.all([
    import("../test/support/builders/workspace"),
    import("../test/support/builders/runs"),
  ]);
  /** An active binding whose Sage business is `biz-<host>` (the xrefs below are keyed on it). */
  const binding = async (tenantId: string, host: string, business: string) =>
    (
      await makeBinding(tenantId, {
        baseUrl: `https://${host}`,
        pairedAt: null,
        businessId: `biz-${host}`,
        sage: { businessName: business },
        reference: false,
      })
    ).binding.id;

  for (const [who, role] of [
    [OPERATOR, "operator"],
    [VIEWER, "viewer"],
  ] as const) {
    await makeMember(seed.acmeTenantId, role, who.email, { name: who.name, password: who.password });
  }
  const acme = await binding(seed.acmeTenantId, "shop.acme.test", "Acme Outdoor Ltd");
  const runs: Run[] = [
    {
      event: "invoice.created",
      entity: 101,
      increment: "INV-101",
      status: "succeeded",
      reference: "SI-27",
      minutesAgo: 3,
      summary: inv(101, "O-9001", "120.00"),
    },
    {
      event: "invoice.created",
      entity: 102,
      increment: "INV-102",
      status: "failed",
      error: "provider",
      message: "line_items.description: This field is required\n$source: invoice_lines[0].tax_rate_id — tax rate GB_STANDARD was deleted",
      minutesAgo: 5,
      attempts: 2,
      summary: inv(102, "O-9001", "80.00"),
    },
    {
      event: "invoice.paid",
      entity: 101,
      increment: "INV-101",
      status: "skipped_by_policy",
      reason: "payment_method_not_mapped",
      minutesAgo: 7,
    },
    {
      event: "invoice.created",
      entity: 103,
      increment: "INV-103",
      status: "skipped_by_policy",
      reason: "outside_sync_since",
      minutesAgo: 9,
      summary: inv(103, "O-9002", "15.00"),
    },
    {
      event: "creditmemo.created",
      entity: 201,
      increment: "CM-201",
      status: "skipped_by_policy",
      reason: "outside_sync_since",
      minutesAgo: 11,
      summary: { incrementId: "CM-201", customerName: "Customer 103", total: "15.00", currency: "GBP" },
    },
    {
      event: "invoice.created",
      entity: 104,
      increment: "INV-104",
      status: "skipped_by_policy",
      reason: "unpaid_invoice",
      minutesAgo: 13,
      summary: inv(104, "O-9003", "42.00"),
    },
    {
      event: "customer.upserted",
      entity: 5,
      status: "failed",
      error: "validation",
      message: "Contact reference M5 is reserved by a deleted contact",
      minutesAgo: 15,
      summary: { name: "Jane Doe", email: "jane@acme.test" },
    },
    {
      event: "product.upserted",
      entity: 301,
      status: "failed",
      error: "http",
      message: "Sage answered 503 Service Unavailable",
      minutesAgo: 17,
      attempts: 4,
    },
    {
      event: "invoice.created",
      entity: 105,
      increment: "INV-105",
      status: "queued",
      minutesAgo: 1,
      attempts: 0,
      summary: inv(105, "O-9004", "9.99"),
    },
    {
      event: "invoice.paid",
      entity: 105,
      increment: "INV-105",
      status: "waiting",
      message: "waiting for the invoice to reach Sage",
      minutesAgo: 1,
      attempts: 0,
    },
    {
      event: "invoice.created",
      entity: 106,
      increment: "INV-106",
      status: "succeeded",
      reference: "SI-28",
      minutesAgo: 30,
      summary: inv(106, "O-9005", "64.00"),
    },
    {
      event: "invoice.paid",
      entity: 106,
      increment: "INV-106",
      status: "failed",
      error: "not_found",
      message: "Bank account 1200 no longer exists in Sage",
      minutesAgo: 25,
    },
    {
      event: "creditmemo.created",
      entity: 202,
      increment: "CM-202",
      status: "succeeded",
      reference: "CN-5",
      minutesAgo: 20,
      summary: { incrementId: "CM-202", customerName: "Customer 101", total: "20.00", currency: "GBP" },
    },
  ];
  const mismatch = (field: string, sage: number, magento: number) => ({
    warning: "total_mismatch",
    document: "sales_invoice",
    sageId: "sage-SI-28",
    reference: "SI-28",
    field,
    after: "create",
    currency: "GBP",
    sage,
    magento,
  });
  const specs = runs.map((r) => runSpec(acme, r));
  // SI-28 reached Sage with figures a penny off Magento's.
  specs[10] = {
    ...specs[10],
    warnings: ["total_mismatch"],
    warningDetails: [mismatch("net_amount", 53.34, 53.33), mismatch("total_amount", 64.01, 64)],
  };
  const ids = await insertRuns(seed.acmeTenantId, specs);
  const failedRunId = ids[1];
  const mismatchRunId = ids[10];
  // Two attempts of the failed invoice: the operator changed the tax rate between them.
  const payload = (tax: string, extra: Record<string, unknown> = {}) => ({
    sales_invoice: { contact_id: "c-1", invoice_lines: [{ description: "Tent", tax_rate_id: tax, unit_price: "80.00" }], ...extra },
  });
  const rejected = {
    step: "post-invoice",
    outcome: "failed" as const,
    errorClass: "provider",
    errorMessage: "line_items.description: This field is required",
    httpStatus: 422,
    request: { method: "POST", path: "/sales_invoices" },
    response: { status: 422, $dataCode: "RecordInvalid" },
  };
  await addAttempts(failedRunId, [
    { ...rejected, payload: payload("GB_STANDARD"), startedAt: new Date(Date.now() - 6 * 60_000), durationMs: 840 },
    { ...rejected, payload: payload("GB_ZERO", { notes: "retried" }), startedAt: new Date(Date.now() - 5 * 60_000), durationMs: 790 },
  ]);
  for (const [key, currency, ref] of [
    ["5", "GBP", "M5"],
    ["5", "EUR", "M5E"],
    ["guest:9f2c", "GBP", "G12"],
  ]) {
    await makeXref({
      bindingId: acme,
      entityType: "contact",
      magentoKey: key,
      currency,
      sageId: `sage-${ref}`,
      sageReference: ref,
      data: { displayedAs: `Contact ${ref}` },
    });
  }
  const rival = await binding(seed.rivalTenantId, "rival.test", "Rival Retail Ltd");
  const [rivalRunId] = await insertRuns(seed.rivalTenantId, [
    runSpec(rival, {
      event: "invoice.created",
      entity: 101,
      increment: "RIV-101",
      status: "failed",
      error: "auth",
      message: "Rival's secret failure",
      minutesAgo: 2,
    }),
  ]);
  const out: HistorySeed = { acmeBindingId: acme, failedRunId, skippedRunId: ids[3], rivalRunId, mismatchRunId };
  writeFileSync(HISTORY_SEED_FILE, JSON.stringify(out));
}
