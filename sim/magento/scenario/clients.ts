import { z } from "zod";

/**
 * The scenario talks to the simulator only through its admin JSON API (README "Admin JSON API"),
 * exactly as a presenter's script would, and to the Sage emulator only through `/_admin`.
 */

export class ScenarioHttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    body: string,
  ) {
    super(`${url} answered ${status}: ${body.slice(0, 300)}`);
    this.name = "ScenarioHttpError";
  }
}

async function call<T>(base: string, method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
  const url = `${base}${path}`;
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new ScenarioHttpError(url, res.status, text);
  return schema.parse(text ? JSON.parse(text) : null);
}

const idRow = z.object({ entity_id: z.number() });
const customerRow = idRow.extend({ email: z.string() });
const productRow = idRow.extend({ sku: z.string() });
const invoiceRow = idRow.extend({ increment_id: z.string(), grand_total: z.number(), order_currency_code: z.string().nullable() });
const mirrorRow = z.object({
  entity_type: z.string(),
  magento_id: z.number(),
  sync_status: z.string(),
  skip_reason: z.string().nullable(),
  error_code: z.string().nullable(),
});
export type MirrorRow = z.infer<typeof mirrorRow>;
export type InvoiceRow = z.infer<typeof invoiceRow>;

export interface CustomerInput {
  email: string;
  firstname: string;
  lastname: string;
  company?: string;
  country: string;
  group_id?: number;
  website_id?: number;
}

export interface ProductInput {
  sku: string;
  name: string;
  type_id: "simple" | "virtual";
  price: number;
  tax_class_id: number;
  cost?: number;
  weight?: number;
  stock_qty?: number;
}

export interface OrderInput {
  customer_id?: number;
  guest?: { email: string; firstname: string; lastname: string; company?: string };
  country?: string;
  store_id?: number;
  currency?: "GBP" | "EUR" | "USD";
  lines: { sku: string; qty: number; price?: number; tax_percent?: number; discount_percent?: number }[];
  discount_percent?: number;
  shipping_amount?: number;
  shipping_tax_percent?: number;
  payment_method: string | null;
  po_number?: string;
  invoice_state?: "open" | "paid";
  created_at?: string;
}

export interface CreditMemoInput {
  invoice_id: number;
  lines?: { index: number; qty: number }[];
  shipping_amount?: number;
  refund?: "online" | "offline";
  link_invoice?: boolean;
  comment?: string;
}

export function magentoAdmin(baseUrl: string) {
  const base = `${baseUrl.replace(/\/+$/, "")}/admin/api`;
  return {
    state: () =>
      call(
        base,
        "GET",
        "/state",
        z.object({ provider_connected: z.boolean(), tenant_id: z.string().nullable(), base_url: z.string().nullable() }),
      ),
    customers: () => call(base, "GET", "/customers", z.array(customerRow)),
    createCustomer: (c: CustomerInput) => call(base, "POST", "/customers", customerRow, c),
    products: () => call(base, "GET", "/products", z.array(productRow)),
    createProduct: (p: ProductInput) => call(base, "POST", "/products", productRow, p),
    createOrder: (o: OrderInput) => call(base, "POST", "/orders", z.object({ invoice: invoiceRow }), o).then((r) => r.invoice),
    payInvoice: (id: number) => call(base, "POST", `/invoices/${id}/pay`, z.unknown()),
    createCreditMemo: (m: CreditMemoInput) => call(base, "POST", "/creditmemos", idRow.extend({ increment_id: z.string() }), m),
    drain: () => call(base, "POST", "/drain", z.object({ results: z.array(z.object({ outcome: z.string() })) })),
    mirror: () => call(base, "GET", "/mirror", z.array(mirrorRow)),
    pairingCode: () => call(base, "POST", "/pairing-code", z.object({ code: z.string() })),
  };
}
export type MagentoAdmin = ReturnType<typeof magentoAdmin>;

export function sageAdmin(baseUrl: string) {
  const origin = baseUrl.replace(/\/+$/, "");
  const base = `${origin}/_admin`;
  return {
    addFault: (rule: Record<string, unknown>) => call(base, "POST", "/faults", z.unknown(), rule),
    /**
     * What an accountant did by hand long ago: created a contact with this reference, then deleted
     * it. Sage keeps a deleted contact's reference reserved, and so does the emulator. Idempotent:
     * a reference that is already taken is left as it is.
     */
    async reserveDeletedContactReference(
      businessId: string,
      contact: { name: string; reference: string; currency_id: string },
    ): Promise<boolean> {
      const { access_token } = await call(base, "POST", "/tokens", z.object({ access_token: z.string() }), { business_id: businessId });
      const headers = { authorization: `Bearer ${access_token}`, "x-business": businessId, "content-type": "application/json" };
      const res = await fetch(`${origin}/v3.1/contacts`, {
        method: "POST",
        headers,
        body: JSON.stringify({ contact: { ...contact, contact_type_ids: ["CUSTOMER"] } }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.status === 422 && text.includes("has already been taken")) return false;
      if (res.status !== 201) throw new ScenarioHttpError(`${origin}/v3.1/contacts`, res.status, text);
      const { id } = z.object({ id: z.string() }).parse(JSON.parse(text));
      const del = await fetch(`${origin}/v3.1/contacts/${id}`, { method: "DELETE", headers, signal: AbortSignal.timeout(30_000) });
      if (!del.ok) throw new ScenarioHttpError(`${origin}/v3.1/contacts/${id}`, del.status, await del.text());
      return true;
    },
  };
}
export type SageAdmin = ReturnType<typeof sageAdmin>;
