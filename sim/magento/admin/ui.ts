import type { IncomingMessage, ServerResponse } from "node:http";
import { loadClientConfig } from "../module/config.ts";
import { disconnect, fetchHealth, generatePairingCode } from "../module/connection.ts";
import { outageSchema } from "../rest/outage.ts";
import { tileData } from "../module/health-tile.ts";
import { countDeadLettered, drainOnce, listOutbox, requeue } from "../module/outbox.ts";
import * as repo from "../store/repo.ts";
import { cancelInvoice, payInvoice } from "../store/sales.ts";
import { TAX_CLASSES } from "../store/types.ts";
import { adminErrorStatus, type AdminRuntime } from "./api.ts";
import { esc, page, tile } from "./html.ts";
import * as s from "./schemas.ts";
import { adminCreateCreditMemo, adminCreateCustomer, adminCreateOrder, adminCreateProduct, adminInvoiceSync } from "./service.ts";
import { generate } from "../generate.ts";
import { creditMemoDetail, gridPage, invoiceDetail } from "./ui-sales.ts";
import { startBackgroundPlay } from "../scenario/runner.ts";
import { playDayCard } from "../scenario/ui-card.ts";

/** The admin UI: server-rendered pages plus POST form actions that redirect back with a message. */

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
  res.end(body);
}

function redirect(res: ServerResponse, to: string, msg: string, kind: "ok" | "error" = "ok"): void {
  const u = new URL(to, "http://x");
  u.searchParams.set("msg", msg);
  if (kind === "error") u.searchParams.set("kind", "error");
  res.writeHead(303, { Location: `${u.pathname}${u.search}` });
  res.end();
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
}

const blankToUndef = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v.trim());

async function dashboard(rt: AdminRuntime): Promise<string> {
  const cfg = await loadClientConfig(rt.ctx);
  const t = tileData(cfg.providerConnected, await fetchHealth(rt.ctx), rt.ctx.nowSeconds());
  const [inv, memos, outbox] = await Promise.all([
    repo.listInvoices(rt.ctx.pool, rt.ctx.storeKey),
    repo.listCreditMemos(rt.ctx.pool, rt.ctx.storeKey),
    listOutbox(rt.ctx),
  ]);
  const pending = outbox.filter((o) => o.status === "pending").length;
  return `<div class="grid2"><div>${tile(t)}</div><div class="card"><h2>Store</h2>
    <p>${inv.length} invoices · ${memos.length} credit memos · outbox: ${pending} pending of ${outbox.length}</p>
    <p class="muted">Sim clock ${esc(new Date(rt.ctx.nowMs()).toISOString())} (offset ${rt.getClockOffset()} s)</p>
    <form class="inline" method="post" action="/admin/actions/drain"><button class="btn btn--ghost">Run outbox drain now</button></form>
    <form class="inline" method="post" action="/admin/actions/invoice-sync"><button class="btn btn--ghost" title="bin/magento byte8:sage:invoice:sync --all">Resync all invoices</button></form></div></div>
    <div class="card"><h2>Demo data</h2><form method="post" action="/admin/actions/generate"><div class="row">
    <label>Seed<input name="seed" type="number" value="42"></label><label>Customers<input name="customers" type="number" value="10"></label>
    <label>Products<input name="products" type="number" value="12"></label><label>Orders<input name="orders" type="number" value="30"></label></div>
    <button class="btn">Generate</button> <span class="muted">Events are only enqueued while the store is paired.</span></form></div>
    ${playDayCard()}`;
}

async function connectionPage(rt: AdminRuntime, code: string | null, selfUrl: string): Promise<string> {
  const cfg = await loadClientConfig(rt.ctx);
  const status = cfg.providerConnected ? `<b>Paired</b> with tenant <code>${esc(cfg.tenantId)}</code>` : "Not paired";
  const codeBlock = code
    ? `<p>Copy this code into the ledger's Connect form now — it is shown only once and expires in 30 minutes.</p><div class="code">${esc(code)}</div>`
    : cfg.pairingCodeHash
      ? `<p class="muted">A code issued at ${esc(new Date((cfg.pairingCodeIssuedAt ?? 0) * 1000).toISOString())} is pending (only its hash is stored).</p>`
      : "";
  return `<div class="card"><h2>Connection status</h2><p>${status}</p><p>Ledger base URL: <code>${esc(cfg.baseUrl)}</code></p>
    <p>Magento base URL to give the ledger: <code>${esc(selfUrl)}</code></p>
    ${cfg.providerConnected ? `<form method="post" action="/admin/actions/disconnect"><button class="btn btn--ghost">Disconnect</button></form>` : ""}</div>
    <div class="card"><h2>Pairing code</h2>${codeBlock}<form method="post" action="/admin/actions/pairing-code"><button class="btn">Generate pairing code</button></form></div>
    ${outageCard(rt)}`;
}

/** Take the store's REST API down (rest/outage.ts), to show what Ledger does when it cannot reach Magento. */
function outageCard(rt: AdminRuntime): string {
  const modes: [string, string][] = [
    ["none", "Answering normally"],
    ["error", "HTTP 500 (Magento's masked internal error)"],
    ["maintenance", "HTTP 503 (maintenance mode)"],
    ["down", "Down (connections reset)"],
  ];
  const options = modes
    .map(([v, label]) => `<option value="${v}" ${rt.rest.outage.mode === v ? "selected" : ""}>${esc(label)}</option>`)
    .join("");
  return `<div class="card"><h2>Simulate an outage</h2><p class="muted">Applies to every REST call from the ledger (ping, canonical data, sync state). The ledger pings every 2 minutes.</p>
    <form method="post" action="/admin/actions/outage"><div class="row"><label>REST API<select name="mode">${options}</select></label></div><button class="btn">Apply</button></form></div>`;
}

async function customersPage(rt: AdminRuntime): Promise<string> {
  const list = await repo.listCustomers(rt.ctx.pool, rt.ctx.storeKey);
  const rows = list
    .map(
      (c) =>
        `<tr><td>${c.entity_id}</td><td>${esc(c.email)}</td><td>${esc(`${c.firstname ?? ""} ${c.lastname ?? ""}`)}</td><td>${esc(c.addresses.map((a) => `${a.company ? `${a.company}, ` : ""}${a.city} ${a.country_id}`).join("; "))}</td><td>${c.group_id ?? ""}</td><td><a href="/admin/api/canonical/customer/${c.entity_id}">JSON</a></td></tr>`,
    )
    .join("");
  return `<div class="card"><table><thead><tr><th>ID</th><th>Email</th><th>Name</th><th>Addresses</th><th>Group</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>
  <details class="card"><summary>Create customer</summary><form method="post" action="/admin/actions/customer"><div class="row">
  <label>Email<input name="email" required></label><label>First name<input name="firstname"></label><label>Last name<input name="lastname"></label>
  <label>Company<input name="company"></label><label>Country<select name="country">${["GB", "FR", "DE", "IE", "NL", "ES", "US", "CH", "NO", "AU"].map((c) => `<option>${c}</option>`).join("")}</select></label>
  <label>Group<select name="group_id"><option value="1">General</option><option value="2">Wholesale</option></select></label>
  <label>No saved address<select name="no_addresses"><option value="">no</option><option value="1">yes</option></select></label></div><button class="btn">Save customer</button></form></details>`;
}

async function productsPage(rt: AdminRuntime): Promise<string> {
  const list = await repo.listProducts(rt.ctx.pool, rt.ctx.storeKey);
  const rows = list
    .map(
      (p) =>
        `<tr><td>${p.entity_id}</td><td>${esc(p.sku)}</td><td>${esc(p.name)}</td><td>${esc(p.type_id)}</td><td class="num">${p.price ?? "—"}</td><td>${esc(TAX_CLASSES[p.tax_class_id]?.name ?? p.tax_class_id)}</td><td class="num">${p.has_stock_item ? (p.stock_qty ?? "") : "—"}</td><td><a href="/admin/api/canonical/product/${p.entity_id}">JSON</a></td></tr>`,
    )
    .join("");
  return `<div class="card"><table><thead><tr><th>ID</th><th>SKU</th><th>Name</th><th>Type</th><th class="num">Price (GBP)</th><th>Tax class</th><th class="num">Qty</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>
  <details class="card"><summary>Create product</summary><form method="post" action="/admin/actions/product"><div class="row">
  <label>SKU<input name="sku" required></label><label>Name<input name="name" required></label>
  <label>Type<select name="type_id">${["simple", "virtual", "downloadable", "configurable"].map((t) => `<option>${t}</option>`).join("")}</select></label>
  <label>Price<input name="price" type="number" step="0.01" value="10"></label><label>Tax class<select name="tax_class_id">${Object.entries(
    TAX_CLASSES,
  )
    .map(([id, t]) => `<option value="${id}" ${id === "2" ? "selected" : ""}>${esc(`${t.name} (${t.percent}%)`)}</option>`)
    .join("")}</select></label>
  <label>Stock qty<input name="stock_qty" type="number" value="100"></label></div><p class="muted">Configurable: a simple child "SKU-CHILD" is created at the given price.</p><button class="btn">Save product</button></form></details>`;
}

async function outboxPage(rt: AdminRuntime, q: URLSearchParams): Promise<string> {
  const rows = await listOutbox(rt.ctx, q.get("status") ?? undefined);
  const body = rows
    .reverse()
    .map(
      (
        r,
      ) => `<tr><td>${r.entity_id}</td><td><code>${esc(r.idempotency_key)}</code></td><td>${esc(r.status)}</td><td class="num">${r.attempts}</td><td>${esc(r.last_status_code ?? "")}</td><td>${esc(r.last_attempt_at ?? "")}</td><td>${esc(r.next_attempt_at ?? "")}</td><td><pre>${esc((r.last_error ?? "").slice(0, 300))}</pre></td>
      <td>${r.status !== "pending" ? `<form class="inline" method="post" action="/admin/actions/requeue/${r.entity_id}"><button class="btn btn--small">Requeue</button></form>` : ""}</td></tr>`,
    )
    .join("");
  return `<div class="filters">${["", "pending", "succeeded", "dead_lettered"].map((st) => `<a class="${(q.get("status") ?? "") === st ? "on" : ""}" href="?status=${st}">${st || "all"}</a>`).join("")}
    <form class="inline" method="post" action="/admin/actions/drain"><button class="btn btn--small">Drain now</button></form></div>
    <div class="card"><table><thead><tr><th>ID</th><th>Key</th><th>Status</th><th class="num">Attempts</th><th>Last code</th><th>Last attempt</th><th>Next attempt</th><th>Last error</th><th></th></tr></thead><tbody data-refresh="4000">${body}</tbody></table></div>`;
}

type Action = (rt: AdminRuntime, form: Record<string, string>, id: number) => Promise<[string, string]>;

const ACTIONS: Record<string, Action> = {
  "pairing-code": async () => ["", ""], // handled inline: the code must be rendered, not redirected
  disconnect: async (rt) => {
    const r = await disconnect(rt.ctx);
    return [
      "/admin/connection",
      r.acknowledged ? "Disconnected; the ledger acknowledged." : "Disconnected locally; the ledger could not be reached.",
    ];
  },
  outage: async (rt, f) => {
    rt.rest.outage = outageSchema.parse({ mode: f.mode });
    return [
      "/admin/connection",
      rt.rest.outage.mode === "none" ? "The REST API answers normally again." : `Simulated outage: ${rt.rest.outage.mode}.`,
    ];
  },
  drain: async (rt) => {
    const r = await drainOnce(rt.ctx);
    return ["/admin/outbox", `Drain processed ${r.length} event(s).`];
  },
  "requeue-all": async (rt) => ["/admin/outbox", `Requeued ${await requeue(rt.ctx, "all")} dead-lettered event(s).`],
  requeue: async (rt, _f, id) => ["/admin/outbox", `Requeued ${await requeue(rt.ctx, [id])} event(s).`],
  "invoice-sync": async (rt) => [
    "/admin",
    `Resync sent ${(await adminInvoiceSync(rt.ctx, s.invoiceSyncSchema.parse({ all: true }))).length} event(s).`,
  ],
  generate: async (rt, f) => ["/admin", `Generated: ${JSON.stringify(await generate(rt.ctx, s.generateSchema.parse(f)))}`],
  customer: async (rt, f) => {
    const c = await adminCreateCustomer(
      rt.ctx,
      s.customerSchema.parse({ ...f, company: blankToUndef(f.company), no_addresses: f.no_addresses === "1" }),
    );
    return ["/admin/customers", `Customer ${c.entity_id} saved.`];
  },
  product: async (rt, f) => {
    const child = f.type_id === "configurable" ? { sku: `${f.sku}-CHILD`, name: `${f.name} (variant)`, price: Number(f.price) } : undefined;
    const p = await adminCreateProduct(
      rt.ctx,
      s.productSchema.parse({ ...f, price: f.type_id === "configurable" ? null : f.price, child }),
    );
    return ["/admin/products", `Product ${p.entity_id} saved.`];
  },
  order: async (rt, f) => {
    const lines = [0, 1, 2]
      .filter((i) => blankToUndef(f[`product_${i}`]))
      .map((i) => ({ product_id: f[`product_${i}`], qty: f[`qty_${i}`] || "1" }));
    const input = s.orderSchema.parse({
      customer_id: blankToUndef(f.customer_id),
      guest: blankToUndef(f.customer_id)
        ? undefined
        : { email: blankToUndef(f.guest_email) ?? `guest${Date.now()}@example.net`, firstname: "Guest", lastname: "Buyer" },
      country: blankToUndef(f.country),
      currency: f.currency,
      base_to_order_rate: blankToUndef(f.base_to_order_rate),
      lines,
      discount_percent: blankToUndef(f.discount_percent),
      shipping_amount: blankToUndef(f.shipping_amount),
      payment_method: f.payment_method === "__none" ? null : f.payment_method,
      invoice_state: blankToUndef(f.invoice_state),
      created_at: blankToUndef(f.created_at) ? `${f.created_at}:00Z` : undefined,
    });
    const { invoice } = await adminCreateOrder(rt.ctx, input);
    return [`/admin/invoices/${invoice.entity_id}`, `Invoice #${invoice.increment_id} created.`];
  },
  pay: async (rt, _f, id) => {
    await payInvoice(rt.ctx, id);
    return [`/admin/invoices/${id}`, "Invoice paid (invoice.paid enqueued)."];
  },
  cancel: async (rt, _f, id) => {
    await cancelInvoice(rt.ctx, id);
    return [`/admin/invoices/${id}`, "Invoice cancelled."];
  },
  creditmemo: async (rt, f, id) => {
    const lines = Object.entries(f)
      .filter(([k, v]) => k.startsWith("line_") && Number(v) > 0)
      .map(([k, v]) => ({ index: k.slice(5), qty: v }));
    const memo = await adminCreateCreditMemo(
      rt.ctx,
      s.creditMemoSchema.parse({
        invoice_id: id,
        lines,
        shipping_amount: blankToUndef(f.shipping_amount),
        adjustment_positive: blankToUndef(f.adjustment_positive),
        adjustment_negative: blankToUndef(f.adjustment_negative),
        refund: blankToUndef(f.refund),
        comment: blankToUndef(f.comment),
      }),
    );
    return [`/admin/creditmemos/${memo.entity_id}`, `Credit memo #${memo.increment_id} created.`];
  },
};

export async function handleUi(rt: AdminRuntime, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const q = url.searchParams;
  const selfUrl = `http://${req.headers.host ?? "127.0.0.1"}`;
  const render = async (title: string, active: string, body: string, flash?: string | null, kind?: "ok" | "error") =>
    html(
      res,
      200,
      page({
        title,
        active,
        body,
        deadLettered: await countDeadLettered(rt.ctx),
        storeKey: rt.ctx.storeKey,
        flash: flash ?? q.get("msg"),
        flashKind: kind ?? (q.get("kind") === "error" ? "error" : "ok"),
      }),
    );

  if (req.method === "POST" && path.startsWith("/admin/actions/")) {
    const [name, rawId] = path.slice("/admin/actions/".length).split("/");
    const form = await readForm(req);
    if (name === "pairing-code") {
      const { code } = await generatePairingCode(rt.ctx);
      return render("Byte8 Connection", "/admin/connection", await connectionPage(rt, code, selfUrl), "New pairing code generated.");
    }
    if (name === "play-day") {
      const cfg = await loadClientConfig(rt.ctx);
      if (!cfg.providerConnected) return redirect(res, "/admin", "Pair the store with Ledger first (Byte8 Connection).", "error");
      const { started } = startBackgroundPlay({
        magentoUrl: selfUrl,
        sageUrl: process.env.MAGENTO_SIM_SCENARIO_SAGE_URL,
        fast: q.get("fast") === "1",
      });
      return redirect(res, "/admin", started ? "Playing a day at the shop: watch the Invoices grid." : "A day is already being played.");
    }
    const action = ACTIONS[name];
    if (!action) return html(res, 404, "unknown action");
    try {
      const [to, msg] = await action(rt, form, Number(rawId));
      return redirect(res, to, msg);
    } catch (err) {
      const back = (req.headers.referer && new URL(req.headers.referer).pathname) || "/admin";
      return redirect(res, back, adminErrorStatus(err).error, "error");
    }
  }
  if (req.method !== "GET") return html(res, 405, "method not allowed");
  if (path === "/" || path === "/admin") return render("Dashboard", "/admin", await dashboard(rt));
  if (path === "/admin/connection") return render("Byte8 Connection", path, await connectionPage(rt, null, selfUrl));
  if (path === "/admin/customers") return render("Customers", path, await customersPage(rt));
  if (path === "/admin/products") return render("Products", path, await productsPage(rt));
  if (path === "/admin/outbox") {
    const body = await outboxPage(rt, q);
    if (q.get("fragment")) return html(res, 200, /<tbody data-refresh="4000">([\s\S]*)<\/tbody>/.exec(body)?.[1] ?? "");
    return render("Byte8 Outbox", path, body);
  }
  for (const kind of ["invoice", "creditmemo"] as const) {
    const base = kind === "invoice" ? "/admin/invoices" : "/admin/creditmemos";
    const title = kind === "invoice" ? "Invoices" : "Credit Memos";
    if (path === base) {
      const { body, fragment } = await gridPage(rt.ctx, kind, q);
      return q.get("fragment") ? html(res, 200, fragment) : render(title, base, body);
    }
    const m = new RegExp(`^${base}/(\\d+)$`).exec(path);
    if (m) {
      const body = kind === "invoice" ? await invoiceDetail(rt.ctx, Number(m[1])) : await creditMemoDetail(rt.ctx, Number(m[1]));
      if (body === null) return html(res, 404, "not found");
      return render(`${kind === "invoice" ? "Invoice" : "Credit Memo"} #${m[1]}`, base, body);
    }
  }
  html(
    res,
    404,
    page({ title: "Not found", active: "", body: `<p>No page at ${esc(path)}.</p>`, deadLettered: 0, storeKey: rt.ctx.storeKey }),
  );
}
