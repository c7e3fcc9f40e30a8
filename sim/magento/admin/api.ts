import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { SimContext } from "../context.ts";
import { wipeStore } from "../db.ts";
import { generate } from "../generate.ts";
import * as canonical from "../module/canonical.ts";
import { loadClientConfig } from "../module/config.ts";
import { disconnect, fetchHealth, generatePairingCode } from "../module/connection.ts";
import { tileData } from "../module/health-tile.ts";
import { listMirror } from "../module/mirror.ts";
import { countDeadLettered, drainOnce, gcSucceeded, listOutbox, requeue } from "../module/outbox.ts";
import { AdminError, setStock, updateCustomer, updateProduct } from "../store/catalog.ts";
import * as repo from "../store/repo.ts";
import { cancelInvoice, payInvoice } from "../store/sales.ts";
import { outageSchema } from "../rest/outage.ts";
import type { RestState } from "../rest/router.ts";
import * as s from "./schemas.ts";
import { adminCreateCreditMemo, adminCreateCustomer, adminCreateOrder, adminCreateProduct, adminInvoiceSync } from "./service.ts";

/** The simulator's admin JSON API (documented in README.md). No auth: it listens on 127.0.0.1. */

export interface AdminRuntime {
  ctx: SimContext;
  rest: RestState;
  getClockOffset(): number;
  setClockOffset(seconds: number): void;
}

type Params = Record<string, string>;
type Handler = (rt: AdminRuntime, body: unknown, params: Params, query: URLSearchParams) => Promise<unknown>;

const id = (p: Params) => Number(p.id);

const ROUTES: [string, string, Handler][] = [
  [
    "GET",
    "state",
    async (rt) => {
      const cfg = await loadClientConfig(rt.ctx);
      return {
        store_key: rt.ctx.storeKey,
        client_connected: cfg.clientConnected,
        provider_connected: cfg.providerConnected,
        tenant_id: cfg.tenantId,
        base_url: cfg.baseUrl,
        pairing_code_pending: cfg.pairingCodeHash !== null,
        pairing_code_issued_at: cfg.pairingCodeIssuedAt,
        clock_offset_seconds: rt.getClockOffset(),
        outage: rt.rest.outage.mode,
        now: new Date(rt.ctx.nowMs()).toISOString(),
        dead_lettered: await countDeadLettered(rt.ctx),
      };
    },
  ],
  ["POST", "pairing-code", async (rt) => generatePairingCode(rt.ctx).then((r) => ({ code: r.code, issued_at: r.issuedAt }))],
  ["POST", "disconnect", async (rt) => disconnect(rt.ctx)],
  [
    "POST",
    "clock",
    async (rt, body) => {
      const b = s.clockSchema.parse(body ?? {});
      if (b.offset_seconds !== undefined) rt.setClockOffset(b.offset_seconds);
      if (b.advance_seconds !== undefined) rt.setClockOffset(rt.getClockOffset() + b.advance_seconds);
      return { clock_offset_seconds: rt.getClockOffset(), now: new Date(rt.ctx.nowMs()).toISOString(), now_seconds: rt.ctx.nowSeconds() };
    },
  ],
  ["POST", "drain", async (rt) => ({ results: await drainOnce(rt.ctx) })],
  ["GET", "outbox", async (rt, _b, _p, q) => listOutbox(rt.ctx, q.get("status") ?? undefined)],
  [
    "POST",
    "outbox/requeue",
    async (rt, body) => {
      const b = s.requeueSchema.parse(body ?? {});
      return { requeued: await requeue(rt.ctx, b.all ? "all" : (b.ids ?? [])) };
    },
  ],
  ["POST", "outbox/gc", async (rt, body) => ({ deleted: await gcSucceeded(rt.ctx, s.outboxGcSchema.parse(body ?? {}).days) })],
  ["GET", "mirror", async (rt, _b, _p, q) => listMirror(rt.ctx, q.get("entity_type") ?? undefined)],
  [
    "GET",
    "health",
    async (rt) => {
      const cfg = await loadClientConfig(rt.ctx);
      const health = await fetchHealth(rt.ctx);
      return { raw: health, tile: tileData(cfg.providerConnected, health, rt.ctx.nowSeconds()) };
    },
  ],
  ["GET", "auth-log", async (rt) => rt.rest.authLog],
  [
    "POST",
    "rest-patches",
    async (rt, body) => {
      const b = z.object({ path: z.string().min(1), patch: z.record(z.string(), z.unknown()) }).parse(body ?? {});
      rt.rest.patches.set(b.path.replace(/^\/+/, ""), b.patch);
      return { patches: [...rt.rest.patches.keys()] };
    },
  ],
  [
    "DELETE",
    "rest-patches",
    async (rt) => {
      rt.rest.patches.clear();
      return { patches: [] };
    },
  ],
  ["GET", "outage", async (rt) => rt.rest.outage],
  [
    "POST",
    "outage",
    async (rt, body) => {
      rt.rest.outage = outageSchema.parse(body ?? {});
      rt.ctx.log.info({ outage: rt.rest.outage }, "simulated outage set");
      return rt.rest.outage;
    },
  ],
  ["GET", "customers", async (rt) => repo.listCustomers(rt.ctx.pool, rt.ctx.storeKey)],
  ["POST", "customers", async (rt, body) => adminCreateCustomer(rt.ctx, s.customerSchema.parse(body))],
  ["POST", "customers/:id", async (rt, body, p) => updateCustomer(rt.ctx, id(p), s.customerPatchSchema.parse(body ?? {}))],
  ["GET", "products", async (rt) => repo.listProducts(rt.ctx.pool, rt.ctx.storeKey)],
  ["POST", "products", async (rt, body) => adminCreateProduct(rt.ctx, s.productSchema.parse(body))],
  ["POST", "products/:id", async (rt, body, p) => updateProduct(rt.ctx, id(p), s.productPatchSchema.parse(body ?? {}))],
  ["POST", "products/:id/stock", async (rt, body, p) => setStock(rt.ctx, id(p), s.stockSchema.parse(body).qty)],
  ["GET", "orders", async (rt) => repo.listOrders(rt.ctx.pool, rt.ctx.storeKey)],
  ["POST", "orders", async (rt, body) => adminCreateOrder(rt.ctx, s.orderSchema.parse(body))],
  ["GET", "invoices", async (rt) => repo.listInvoices(rt.ctx.pool, rt.ctx.storeKey)],
  ["POST", "invoices/sync", async (rt, body) => ({ results: await adminInvoiceSync(rt.ctx, s.invoiceSyncSchema.parse(body ?? {})) })],
  ["POST", "invoices/:id/pay", async (rt, _b, p) => payInvoice(rt.ctx, id(p))],
  ["POST", "invoices/:id/cancel", async (rt, _b, p) => cancelInvoice(rt.ctx, id(p))],
  ["GET", "creditmemos", async (rt) => repo.listCreditMemos(rt.ctx.pool, rt.ctx.storeKey)],
  ["POST", "creditmemos", async (rt, body) => adminCreateCreditMemo(rt.ctx, s.creditMemoSchema.parse(body))],
  [
    "GET",
    "canonical/:type/:id",
    async (rt, _b, p) => {
      const fns: Record<string, typeof canonical.canonicalInvoice> = {
        invoice: canonical.canonicalInvoice,
        customer: canonical.canonicalContact,
        creditmemo: canonical.canonicalCreditMemo,
        payment: canonical.canonicalPayment,
        product: canonical.canonicalProduct,
      };
      const fn = fns[p.type];
      if (!fn) throw new AdminError(404, `unknown canonical type ${p.type}`);
      return fn(rt.ctx.pool, rt.ctx.storeKey, id(p));
    },
  ],
  ["POST", "generate", async (rt, body) => generate(rt.ctx, s.generateSchema.parse(body ?? {}))],
  [
    "POST",
    "reset",
    async (rt) => {
      await wipeStore(rt.ctx.pool, rt.ctx.storeKey);
      rt.rest.outage = { mode: "none" };
      return { reset: true };
    },
  ],
];

function match(pattern: string, path: string): Params | null {
  const a = pattern.split("/");
  const b = path.split("/");
  if (a.length !== b.length) return null;
  const params: Params = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i].startsWith(":")) params[a[i].slice(1)] = decodeURIComponent(b[i]);
    else if (a[i] !== b[i]) return null;
  }
  return params;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new AdminError(400, "body is not valid JSON");
  }
}

export function adminErrorStatus(err: unknown): { status: number; error: string; issues?: unknown } {
  if (err instanceof AdminError) return { status: err.status, error: err.message };
  if (err instanceof z.ZodError) return { status: 400, error: "invalid input", issues: err.issues };
  if (err && typeof err === "object" && "status" in err && "template" in err) {
    return { status: Number((err as { status: number }).status), error: String((err as { template: string }).template) };
  }
  return { status: 500, error: (err as Error).message };
}

export async function handleAdminApi(
  rt: AdminRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  sub: string,
  query: URLSearchParams,
): Promise<void> {
  try {
    const body = await readJson(req);
    for (const [method, pattern, handler] of ROUTES) {
      if (method !== req.method) continue;
      const params = match(pattern, sub);
      if (params) {
        sendJson(res, 200, await handler(rt, body, params, query));
        return;
      }
    }
    sendJson(res, 404, { error: `no admin route ${req.method} ${sub}` });
  } catch (err) {
    const { status, ...rest } = adminErrorStatus(err);
    if (status >= 500) rt.ctx.log.error({ err: (err as Error).message, sub }, "admin API failed");
    sendJson(res, status, rest);
  }
}
