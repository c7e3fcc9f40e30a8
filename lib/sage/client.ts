import { z } from "zod";
import { SyncError } from "@/lib/errors";
import { sageIdempotencyId, type SageIdempotentResource } from "./idempotency";
import * as s from "./schemas";
import { createSageTransport, describeIssues, type Query, type SageTransportOptions } from "./transport";

/**
 * Typed Sage Business Cloud Accounting v3.1 client for the resources the sync touches.
 *
 * Every create takes a caller-supplied stable key (e.g. `binding:invoice:<magentoId>:<version>`)
 * from which the `idempotency_id` is derived, so a replayed step returns Sage's first result
 * instead of a second document. Inputs are validated against the Swagger-shaped schemas before
 * any request (`validation` without a Sage round trip).
 */

export type SageClientOptions = SageTransportOptions;
export type CreateOptions = { idempotencyKey: string };

function preflight<S extends z.ZodType>(schema: S, input: unknown, root: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new SyncError("validation", `${root}:\n${describeIssues(parsed.error)}`, {
      details: { issues: parsed.error.issues.slice(0, 20) },
    });
  }
  return parsed.data;
}

const encode = (id: string) => encodeURIComponent(id);

export function createSageClient(opts: SageClientOptions) {
  const t = createSageTransport(opts);

  async function create<I extends z.ZodType, O extends z.ZodType>(
    path: string,
    root: SageIdempotentResource,
    input: I,
    output: O,
    body: unknown,
    { idempotencyKey }: CreateOptions,
  ): Promise<z.output<O>> {
    const fields = preflight(input, body, root) as Record<string, unknown>;
    const idempotency_id = sageIdempotencyId(root, idempotencyKey);
    return t.request("POST", path, output, { body: { [root]: { ...fields, idempotency_id } } });
  }

  async function update<I extends z.ZodType, O extends z.ZodType>(
    path: string,
    root: string,
    input: I,
    output: O,
    body: unknown,
  ): Promise<z.output<O>> {
    return t.request("PUT", path, output, { body: { [root]: preflight(input, body, root) } });
  }

  const get = <O extends z.ZodType>(path: string, output: O) => t.request("GET", path, output);

  /** Sage's `search` is fuzzy (name, code, description…); keep only exact matches on `field`. */
  async function findExact<O extends z.ZodType>(path: string, item: O, field: string, value: string, query: Query = {}) {
    const rows = await t.listAll(path, item, { ...query, search: value, attributes: "all" });
    return rows.filter((r) => (r as Record<string, unknown>)[field] === value);
  }

  return {
    // contacts ---------------------------------------------------------------------------------
    listContacts: (
      query: {
        search?: string;
        email?: string;
        contact_type_id?: (typeof s.CONTACT_TYPE_IDS)[number];
        updated_or_created_since?: string;
        attributes?: string;
      } = {},
    ) => t.listAll("/contacts", s.contactSchema, { attributes: "all", ...query }),
    /** Contacts whose `reference` is exactly `reference` (per-currency variants differ by suffix). */
    findContactsByReference: (reference: string) =>
      findExact("/contacts", s.contactSchema, "reference", reference, { contact_type_id: "CUSTOMER" }),
    getContact: (id: string) => get(`/contacts/${encode(id)}`, s.contactSchema),
    createContact: (input: s.ContactCreateInput, o: CreateOptions) =>
      create("/contacts", "contact", s.contactCreateInput, s.contactSchema, input, o),
    updateContact: (id: string, input: s.ContactUpdateInput) =>
      update(`/contacts/${encode(id)}`, "contact", s.contactUpdateInput, s.contactSchema, input),

    // sales documents --------------------------------------------------------------------------
    createSalesInvoice: (input: s.SalesInvoiceCreateInput, o: CreateOptions) =>
      create("/sales_invoices", "sales_invoice", s.salesInvoiceCreateInput, s.salesInvoiceSchema, input, o),
    getSalesInvoice: (id: string) => get(`/sales_invoices/${encode(id)}`, s.salesInvoiceSchema),
    /** `search` matches reference or contact name — the "search first" step after an uncertain outcome. */
    listSalesInvoices: (
      query: {
        search?: string;
        contact_id?: string;
        status_id?: string;
        from_date?: string;
        to_date?: string;
        updated_or_created_since?: string;
        attributes?: string;
      } = {},
    ) => t.listAll("/sales_invoices", s.salesInvoiceSchema, { attributes: "all", ...query }),
    createSalesCreditNote: (input: s.SalesCreditNoteCreateInput, o: CreateOptions) =>
      create("/sales_credit_notes", "sales_credit_note", s.salesCreditNoteCreateInput, s.salesCreditNoteSchema, input, o),
    getSalesCreditNote: (id: string) => get(`/sales_credit_notes/${encode(id)}`, s.salesCreditNoteSchema),

    // money ------------------------------------------------------------------------------------
    createContactPayment: (input: s.ContactPaymentCreateInput, o: CreateOptions) =>
      create("/contact_payments", "contact_payment", s.contactPaymentCreateInput, s.contactPaymentSchema, input, o),
    getContactPayment: (id: string) => get(`/contact_payments/${encode(id)}`, s.contactPaymentSchema),
    createContactAllocation: (input: s.ContactAllocationCreateInput, o: CreateOptions) =>
      create("/contact_allocations", "contact_allocation", s.contactAllocationCreateInput, s.contactAllocationSchema, input, o),

    // catalogue --------------------------------------------------------------------------------
    createProduct: (input: s.ProductCreateInput, o: CreateOptions) =>
      create("/products", "product", s.productCreateInput, s.productSchema, input, o),
    updateProduct: (id: string, input: s.ProductUpdateInput) =>
      update(`/products/${encode(id)}`, "product", s.productUpdateInput, s.productSchema, input),
    getProduct: (id: string) => get(`/products/${encode(id)}`, s.productSchema),
    findProductsByItemCode: (itemCode: string) => findExact("/products", s.productSchema, "item_code", itemCode),

    createService: (input: s.ServiceCreateInput, o: CreateOptions) =>
      create("/services", "service", s.serviceCreateInput, s.serviceSchema, input, o),
    updateService: (id: string, input: s.ServiceUpdateInput) =>
      update(`/services/${encode(id)}`, "service", s.serviceUpdateInput, s.serviceSchema, input),
    getService: (id: string) => get(`/services/${encode(id)}`, s.serviceSchema),
    findServicesByItemCode: (itemCode: string) => findExact("/services", s.serviceSchema, "item_code", itemCode),

    createStockItem: (input: s.StockItemCreateInput, o: CreateOptions) =>
      create("/stock_items", "stock_item", s.stockItemCreateInput, s.stockItemSchema, input, o),
    updateStockItem: (id: string, input: s.StockItemUpdateInput) =>
      update(`/stock_items/${encode(id)}`, "stock_item", s.stockItemUpdateInput, s.stockItemSchema, input),
    getStockItem: (id: string) => get(`/stock_items/${encode(id)}`, s.stockItemSchema),
    findStockItemsByItemCode: (itemCode: string) => findExact("/stock_items", s.stockItemSchema, "item_code", itemCode),
    createStockMovement: (input: s.StockMovementCreateInput, o: CreateOptions) =>
      create("/stock_movements", "stock_movement", s.stockMovementCreateInput, s.stockMovementSchema, input, o),

    // reference data ---------------------------------------------------------------------------
    listTaxRates: (query: { usage?: "sales" | "purchase"; date?: string } = {}) =>
      t.listAll("/tax_rates", s.taxRateSchema, { attributes: "all", ...query }),
    listLedgerAccounts: (query: { visible_in?: s.LedgerVisibleIn; search?: string } = {}) =>
      t.listAll("/ledger_accounts", s.ledgerAccountSchema, { attributes: "all", ...query }),
    listBankAccounts: () => t.listAll("/bank_accounts", s.bankAccountSchema, { attributes: "all" }),
    listCurrencies: () => t.listAll("/currencies", s.currencySchema),
    listBusinesses: () => t.listAll("/businesses", s.businessSchema, { attributes: "all" }),
    getBusiness: (id: string | "lead") => get(`/businesses/${encode(id)}`, s.businessSchema),
    getFinancialSettings: () => get("/financial_settings", s.financialSettingsSchema),

    /** One raw page, for callers that page themselves (e.g. a UI picker). */
    getPage: t.getPage,
  };
}

export type SageClient = ReturnType<typeof createSageClient>;
