import { z } from "zod";
import { SyncError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { createGuardedFetch, type GuardedFetch } from "@/lib/net/guarded-fetch";
import {
  creditMemoSchema,
  contactSchema,
  invoiceSchema,
  paymentMethodListSchema,
  paymentSchema,
  pingSchema,
  productSchema,
  type Contact,
  type CreditMemo,
  type Invoice,
  type Payment,
  type PaymentMethod,
  type Ping,
  type Product,
} from "./canonical";
import { normaliseBaseUrl } from "./base-url";
import { signLedgerToken } from "./jwt";
import { syncErrorForFailure, syncErrorForResponse } from "./magento-error";
import { syncStateBody, syncStatePushSchema, type SyncStatePush } from "./sync-state";

/**
 * The signed REST client for one connected Magento store (wire-protocol §8, §9.1).
 *
 * Every request carries a freshly minted token: Magento remembers each `jti` and rejects a second
 * use, so a retry with the same token would fail as a replay. Failures are thrown as `SyncError`
 * with the class decided by status (decisions D3).
 *
 * Nothing is retried here. A failed Magento call is retried in one layer only, the workflow engine
 * (Inngest step retries, with backoff, lib/sync/engine.ts): retries stacked in several layers would
 * multiply into dozens of calls against a merchant's server that is already struggling. Callers
 * outside a step (the liveness ping, the settings page) have their own next time: the next round,
 * the next page load.
 */

export interface MagentoClientOptions {
  /** The merchant's Magento base URL (storefront, no trailing slash needed). */
  baseUrl: string;
  connectionId: string;
  /** The connection's master api_key (decrypted); only its inbound subkey is used. */
  apiKey: string;
  /** Defaults to a guarded fetch that refuses private addresses (pass one with allowPrivate for dev). */
  fetchImpl?: GuardedFetch;
  now?: () => Date;
}

export interface MagentoClient {
  /** Resolves on any 2xx; the body is informational (null when unrecognisable). */
  ping(): Promise<Ping | null>;
  paymentMethods(): Promise<PaymentMethod[]>;
  getInvoice(invoiceId: number): Promise<Invoice>;
  getCreditMemo(creditMemoId: number): Promise<CreditMemo>;
  /** Refuses id 0: that is Magento's synthetic guest contact, which has no record to fetch. */
  getCustomer(customerId: number): Promise<Contact>;
  getProduct(productId: number): Promise<Product>;
  /** The payment is keyed by the invoice id. */
  getPayment(invoiceId: number): Promise<Payment>;
  pushSyncState(push: SyncStatePush): Promise<void>;
}

function entityId(id: number, what: string): number {
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new SyncError("internal", `${what} id must be a positive integer, got ${id}`);
  }
  return id;
}

export function createMagentoClient(options: MagentoClientOptions): MagentoClient {
  const base = normaliseBaseUrl(options.baseUrl);
  if (!base) throw new SyncError("validation", "The stored Magento base URL is not an absolute http(s) URL");
  const fetchImpl = options.fetchImpl ?? createGuardedFetch({ allowPrivate: false });
  const now = options.now ?? (() => new Date());
  const log = childLog({ component: "magento-client", connectionId: options.connectionId });

  async function send(method: "GET" | "POST", path: string, body?: unknown): Promise<Buffer> {
    const what = `${method} /rest/V1/byte8/${path}`;
    const token = signLedgerToken({ apiKey: options.apiKey, connectionId: options.connectionId, now: now() });
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const outcome = await fetchImpl(`${base}/rest/V1/byte8/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (outcome.kind === "response" && outcome.status >= 200 && outcome.status < 300) return outcome.body;
    log.info({ request: what, outcome: outcome.kind === "response" ? outcome.status : outcome.kind }, "magento request failed");
    throw outcome.kind === "response"
      ? syncErrorForResponse(outcome.status, outcome.body, outcome.headers, what)
      : syncErrorForFailure(outcome, what);
  }

  async function getJson<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    const raw = await send("GET", path);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch (e) {
      throw new SyncError("serde", `Magento's answer to GET ${path} is not JSON`, { cause: e });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new SyncError(
        "serde",
        `Magento's answer to GET ${path} does not match the canonical shape:\n${z.prettifyError(new z.ZodError(parsed.error.issues.slice(0, 5)))}`,
        {
          details: { issues: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`) },
        },
      );
    }
    return parsed.data;
  }

  return {
    async ping() {
      const raw = await send("GET", "ping");
      try {
        const parsed = pingSchema.safeParse(JSON.parse(raw.toString("utf8")));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    paymentMethods: () => getJson("payment-methods", paymentMethodListSchema),
    getInvoice: async (id) => getJson(`invoice/${entityId(id, "Invoice")}`, invoiceSchema),
    getCreditMemo: async (id) => getJson(`creditmemo/${entityId(id, "Credit memo")}`, creditMemoSchema),
    getCustomer: async (id) => {
      if (id === 0) throw new SyncError("internal", "Customer 0 is Magento's synthetic guest contact and cannot be fetched");
      return getJson(`customer/${entityId(id, "Customer")}`, contactSchema);
    },
    getProduct: async (id) => getJson(`product/${entityId(id, "Product")}`, productSchema),
    getPayment: async (invoiceId) => getJson(`payment/${entityId(invoiceId, "Invoice")}`, paymentSchema),
    async pushSyncState(push) {
      const parsed = syncStatePushSchema.safeParse(push);
      if (!parsed.success) {
        throw new SyncError("internal", `Invalid sync-state push:\n${z.prettifyError(parsed.error)}`);
      }
      await send("POST", "sync-state", syncStateBody(parsed.data, now()));
    },
  };
}
