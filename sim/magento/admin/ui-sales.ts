import type { SimContext } from "../context.ts";
import { PROVIDER_KEY } from "../module/config.ts";
import { findMirror, listMirror, type MirrorRow } from "../module/mirror.ts";
import { PAYMENT_METHODS } from "../store/payment-methods.ts";
import * as repo from "../store/repo.ts";
import { DEFAULT_RATES, type Customer, type Order } from "../store/types.ts";
import { chip, chipStatus, esc, money, type ChipStatus } from "./html.ts";

/** Invoice and credit-memo grids (Sage Status chip column, sortable, filterable) and detail pages. */

interface GridRow {
  id: number;
  increment: string;
  order: string;
  date: string;
  customer: string;
  total: number;
  currency: string;
  state: string;
  status: ChipStatus;
  mirror: MirrorRow | null;
}

const STATE_NAMES: Record<number, string> = { 1: "Pending", 2: "Paid", 3: "Canceled" };
const FILTERS: (ChipStatus | "all")[] = ["all", "synced", "pending", "skipped", "failed", "none"];
const COLUMNS: [keyof GridRow, string, boolean][] = [
  ["increment", "Number", false],
  ["date", "Created", false],
  ["order", "Order #", false],
  ["customer", "Bill-to Name", false],
  ["state", "Status", false],
  ["total", "Grand Total", true],
  ["status", "Sage Status", false],
];

function billTo(order: Order | undefined, customers: Map<number, Customer>): string {
  if (!order) return "";
  const c = order.customer_id ? customers.get(order.customer_id) : undefined;
  const name = [order.billing_address?.firstname ?? c?.firstname, order.billing_address?.lastname ?? c?.lastname].filter(Boolean).join(" ");
  const company = order.billing_address?.company;
  return `${name || order.customer_email}${company ? ` (${company})` : ""}${order.customer_id ? "" : " · guest"}`;
}

async function gridRows(ctx: SimContext, kind: "invoice" | "creditmemo"): Promise<GridRow[]> {
  const [orders, customers, mirror] = await Promise.all([
    repo.listOrders(ctx.pool, ctx.storeKey),
    repo.listCustomers(ctx.pool, ctx.storeKey),
    listMirror(ctx, kind),
  ]);
  const orderMap = new Map(orders.map((o) => [o.entity_id, o]));
  const customerMap = new Map(customers.map((c) => [c.entity_id, c]));
  const mirrorMap = new Map(mirror.filter((m) => m.provider === PROVIDER_KEY).map((m) => [m.magento_id, m]));
  const docs =
    kind === "invoice"
      ? (await repo.listInvoices(ctx.pool, ctx.storeKey)).map((d) => ({ ...d, stateName: STATE_NAMES[d.state] ?? "?" }))
      : (await repo.listCreditMemos(ctx.pool, ctx.storeKey)).map((d) => ({
          ...d,
          stateName: d.refund_online ? "Refunded online" : "Refunded offline",
        }));
  return docs.map((d) => {
    const order = orderMap.get(d.order_id);
    const m = mirrorMap.get(d.entity_id) ?? null;
    return {
      id: d.entity_id,
      increment: d.increment_id,
      order: order?.increment_id ?? "",
      date: d.created_at.toISOString().replace("T", " ").slice(0, 19),
      customer: billTo(order, customerMap),
      total: d.grand_total,
      currency: d.order_currency_code ?? "",
      state: d.stateName,
      status: chipStatus(m),
      mirror: m,
    };
  });
}

function rowsHtml(rows: GridRow[], kind: "invoice" | "creditmemo"): string {
  if (rows.length === 0)
    return `<tr><td colspan="7" class="muted">No records found. Create one below or run the generator from the dashboard.</td></tr>`;
  const base = kind === "invoice" ? "/admin/invoices" : "/admin/creditmemos";
  return rows
    .map(
      (r) => `<tr><td><a href="${base}/${r.id}">${esc(r.increment)}</a></td><td>${esc(r.date)}</td><td>${esc(r.order)}</td>
      <td>${esc(r.customer)}</td><td>${esc(r.state)}</td><td class="num">${money(r.total, r.currency)}</td><td>${chip(r.mirror)}</td></tr>`,
    )
    .join("");
}

export async function gridPage(
  ctx: SimContext,
  kind: "invoice" | "creditmemo",
  q: URLSearchParams,
): Promise<{ body: string; fragment: string }> {
  const filter = (q.get("status") ?? "all") as ChipStatus | "all";
  const sort = (q.get("sort") ?? "id") as keyof GridRow;
  const dir = q.get("dir") === "asc" ? 1 : -1;
  const all = await gridRows(ctx, kind);
  const counts = new Map<string, number>();
  for (const r of all) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const rows = all
    .filter((r) => filter === "all" || r.status === filter)
    .sort((a, b) => {
      const x = sort === "increment" ? a.id : a[sort];
      const y = sort === "increment" ? b.id : b[sort];
      return (x! < y! ? -1 : x! > y! ? 1 : 0) * dir;
    });
  const link = (params: Record<string, string>) => {
    const u = new URLSearchParams(q);
    u.delete("fragment");
    u.delete("msg");
    for (const [k, v] of Object.entries(params)) u.set(k, v);
    return `?${u.toString()}`;
  };
  const filters = FILTERS.map((f) => {
    const n = f === "all" ? all.length : (counts.get(f) ?? 0);
    const label = f === "all" ? "All" : f === "none" ? "— Not synced" : f[0].toUpperCase() + f.slice(1);
    return `<a class="${filter === f ? "on" : ""}" href="${link({ status: f })}">${esc(label)} <span class="muted">${n}</span></a>`;
  }).join("");
  const head = COLUMNS.map(([key, label, num]) => {
    const on = sort === key;
    const arrow = on ? (dir === 1 ? " ▲" : " ▼") : "";
    return `<th class="${num ? "num" : ""}"><a href="${link({ sort: key, dir: on && dir === -1 ? "asc" : "desc" })}">${esc(label)}${arrow}</a></th>`;
  }).join("");
  const fragment = rowsHtml(rows, kind);
  const table = `<div class="filters">${filters}</div><table><thead><tr>${head}</tr></thead><tbody data-refresh="4000">${fragment}</tbody></table>`;
  const form = kind === "invoice" ? await orderForm(ctx) : `<p class="muted">Credit memos are created from an invoice's page.</p>`;
  return { body: `<div class="card">${table}</div>${form}`, fragment };
}

async function orderForm(ctx: SimContext): Promise<string> {
  const [customers, products] = await Promise.all([repo.listCustomers(ctx.pool, ctx.storeKey), repo.listProducts(ctx.pool, ctx.storeKey)]);
  const custOpts = [
    `<option value="">Guest checkout</option>`,
    ...customers.map((c) => `<option value="${c.entity_id}">${esc(`${c.firstname ?? ""} ${c.lastname ?? ""} <${c.email}>`)}</option>`),
  ].join("");
  const sellable = products.filter((p) => !(p.type_id === "simple" && products.some((x) => x.child_id === p.entity_id)));
  const prodOpts = (blank: boolean) =>
    (blank ? `<option value="">—</option>` : "") +
    sellable.map((p) => `<option value="${p.entity_id}">${esc(`${p.sku} · ${p.name} (${p.type_id})`)}</option>`).join("");
  const methods = PAYMENT_METHODS.map((m) => `<option value="${m.code}">${esc(m.code)}${m.online ? " (online)" : ""}</option>`).join("");
  const lines = [0, 1, 2]
    .map(
      (i) =>
        `<label>Product ${i + 1}<select name="product_${i}">${prodOpts(i > 0)}</select></label><label>Qty<input name="qty_${i}" type="number" min="1" value="1"></label>`,
    )
    .join("");
  return `<details class="card"><summary>Create order + invoice</summary><form method="post" action="/admin/actions/order">
  <div class="row"><label>Customer<select name="customer_id">${custOpts}</select></label><label>Guest email<input name="guest_email" placeholder="guest@example.net"></label>
  <label>Billing country<select name="country"><option value="">(customer default)</option>${["GB", "FR", "DE", "IE", "NL", "ES", "US", "CH", "NO", "AU"].map((c) => `<option>${c}</option>`).join("")}</select></label>
  <label>Currency<select name="currency">${Object.keys(DEFAULT_RATES)
    .map((c) => `<option>${c}</option>`)
    .join("")}</select></label>
  <label>Rate (base→order)<input name="base_to_order_rate" placeholder="default"></label></div>
  <div class="row">${lines}</div>
  <div class="row"><label>Discount %<input name="discount_percent" type="number" min="0" max="100" value="0"></label>
  <label>Shipping<input name="shipping_amount" type="number" step="0.01" value="4.99"></label>
  <label>Payment<select name="payment_method">${methods}<option value="__none">(no payment row)</option></select></label>
  <label>Invoice<select name="invoice_state"><option value="">by method</option><option>open</option><option>paid</option></select></label>
  <label>Created at<input name="created_at" type="datetime-local"></label></div>
  <button class="btn">Create</button></form></details>`;
}

function infoBlock(m: MirrorRow | null): string {
  const rows = [`<tr><th>Status</th><td>${chip(m)}</td></tr>`];
  if (m?.provider_reference) rows.push(`<tr><th>Sage Reference</th><td>${esc(m.provider_reference)}</td></tr>`);
  if (m?.provider_entity_id) rows.push(`<tr><th>Sage Entity ID</th><td><code>${esc(m.provider_entity_id)}</code></td></tr>`);
  if (m?.skip_reason) rows.push(`<tr><th>Skip Reason</th><td>${esc(m.skip_reason)}</td></tr>`);
  if (m?.error_code) rows.push(`<tr><th>Error Code</th><td>${esc(m.error_code)}</td></tr>`);
  if (m?.last_sync_at) rows.push(`<tr><th>Last Sync</th><td>${esc(m.last_sync_at)} UTC</td></tr>`);
  return `<div class="card"><h2>Sage Accounting</h2><table class="info"><tbody>${rows.join("")}</tbody></table></div>`;
}

function itemsTable(
  items: {
    sku: string;
    name: string;
    product_type: string;
    qty: number;
    price: number;
    row_total: number;
    tax_amount: number;
    discount_amount: number;
  }[],
  currency: string | null,
): string {
  return `<table><thead><tr><th>SKU</th><th>Product</th><th>Type</th><th class="num">Qty</th><th class="num">Price</th><th class="num">Subtotal</th><th class="num">Tax</th><th class="num">Discount</th></tr></thead><tbody>${items
    .map(
      (i) =>
        `<tr><td>${esc(i.sku)}</td><td>${esc(i.name)}</td><td>${esc(i.product_type)}</td><td class="num">${i.qty}</td><td class="num">${money(i.price, currency)}</td><td class="num">${money(i.row_total, currency)}</td><td class="num">${money(i.tax_amount, currency)}</td><td class="num">${money(i.discount_amount, currency)}</td></tr>`,
    )
    .join("")}</tbody></table>`;
}

function totalsTable(t: Record<string, number>, currency: string | null): string {
  return `<table class="info"><tbody>${Object.entries(t)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td class="num">${money(v, currency)}</td></tr>`)
    .join("")}</tbody></table>`;
}

export async function invoiceDetail(ctx: SimContext, id: number): Promise<string | null> {
  const inv = await repo.getInvoice(ctx.pool, ctx.storeKey, id);
  if (!inv) return null;
  const order = (await repo.getOrder(ctx.pool, ctx.storeKey, inv.order_id))!;
  const m = await findMirror(ctx, "invoice", inv.entity_id, PROVIDER_KEY);
  const cur = inv.order_currency_code;
  const actions =
    inv.state === 1
      ? `<form class="inline" method="post" action="/admin/actions/pay/${id}"><button class="btn">Capture offline (mark paid)</button></form>
         <form class="inline" method="post" action="/admin/actions/cancel/${id}"><button class="btn btn--ghost">Cancel invoice</button></form>`
      : "";
  const lineInputs = inv.items
    .map((it, i) =>
      it.parent_index === null
        ? `<label>${esc(it.sku)} (max ${it.qty})<input name="line_${i}" type="number" min="0" max="${it.qty}" step="1" value="${it.qty}"></label>`
        : "",
    )
    .join("");
  const memoForm =
    inv.state === 3
      ? ""
      : `<details class="card"><summary>Create credit memo</summary><form method="post" action="/admin/actions/creditmemo/${id}">
    <div class="row">${lineInputs}</div><div class="row"><label>Refund shipping<input name="shipping_amount" type="number" step="0.01" value="${inv.shipping_amount}"></label>
    <label>Adjustment refund (+)<input name="adjustment_positive" type="number" step="0.01" value="0"></label><label>Adjustment fee (−)<input name="adjustment_negative" type="number" step="0.01" value="0"></label>
    <label>Refund<select name="refund"><option value="">by payment method</option><option>online</option><option>offline</option></select></label>
    <label>Comment<input name="comment" placeholder="reason"></label></div><button class="btn">Refund</button></form></details>`;
  return `<div class="card"><p>${actions || `<span class="muted">State: ${esc(STATE_NAMES[inv.state])}</span>`}</p>
    <p>Order <b>#${esc(order.increment_id)}</b> · ${esc(order.customer_email)}${order.customer_id ? "" : " (guest)"} · ${esc(order.billing_address?.country_id)} · payment <code>${esc(order.payment?.method ?? "none")}</code> · rate ${order.base_to_order_rate}</p></div>
    ${infoBlock(m)}<div class="card"><h2>Items invoiced</h2>${itemsTable(inv.items, cur)}</div>
    <div class="card"><h2>Totals</h2>${totalsTable({ subtotal: inv.subtotal, shipping_amount: inv.shipping_amount, shipping_tax_amount: inv.shipping_tax_amount, tax_amount: inv.tax_amount, discount_amount: inv.discount_amount, grand_total: inv.grand_total }, cur)}</div>
    ${memoForm}<p><a href="/admin/api/canonical/invoice/${id}">Canonical JSON</a> · <a href="/admin/api/canonical/payment/${id}">Payment JSON</a></p>`;
}

export async function creditMemoDetail(ctx: SimContext, id: number): Promise<string | null> {
  const memo = await repo.getCreditMemo(ctx.pool, ctx.storeKey, id);
  if (!memo) return null;
  const m = await findMirror(ctx, "creditmemo", memo.entity_id, PROVIDER_KEY);
  const cur = memo.order_currency_code;
  return `<div class="card"><p>${memo.invoice_id ? `Against invoice <a href="/admin/invoices/${memo.invoice_id}">#${memo.invoice_id}</a>` : "Refunded from the order (no invoice link)"} · ${memo.refund_online ? "online" : "offline"} refund${memo.comments[0] ? ` · “${esc(memo.comments[0])}”` : ""}</p></div>
    ${infoBlock(m)}<div class="card"><h2>Items refunded</h2>${itemsTable(memo.items, cur)}</div>
    <div class="card"><h2>Totals</h2>${totalsTable({ subtotal: memo.subtotal, shipping_amount: memo.shipping_amount, shipping_tax_amount: memo.shipping_tax_amount, tax_amount: memo.tax_amount, discount_amount: memo.discount_amount, adjustment_positive: memo.adjustment_positive, adjustment_negative: memo.adjustment_negative, grand_total: memo.grand_total }, cur)}</div>
    <p><a href="/admin/api/canonical/creditmemo/${id}">Canonical JSON</a></p>`;
}
