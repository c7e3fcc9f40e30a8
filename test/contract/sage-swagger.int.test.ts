import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { z } from "zod";
import * as schemas from "../../sim/sage/schemas.ts";
import { checkSchema, formatReport, loadSwagger, type ContractTarget } from "./swagger.ts";

/**
 * The emulator's request schemas against Sage's official Swagger, which lives beside the repo
 * (`<repo>/../shared/sage/`) and is never copied into it.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const swaggerPath = resolve(repoRoot, "../shared/sage/sage-accounting-v3.1.swagger.json");
const available = existsSync(swaggerPath);
const skip = available ? false : `SKIPPED: Sage Swagger not found at ${swaggerPath}`;
if (!available) console.log(skip);

const IDEMPOTENCY = ["idempotency_id"];
const CASES: [string, z.ZodType, ContractTarget][] = [
  [
    "POST contacts",
    schemas.contactInput,
    { definition: "postContacts", root: "contact", maxLengthsFrom: "Contact", allowExtra: IDEMPOTENCY },
  ],
  [
    "PUT contacts",
    schemas.contactUpdate,
    { definition: "putContacts", root: "contact", maxLengthsFrom: "Contact", allowExtra: IDEMPOTENCY },
  ],
  [
    "POST sales_invoices",
    schemas.salesInvoiceInput,
    { definition: "postSalesInvoices", root: "sales_invoice", maxLengthsFrom: "SalesInvoice", allowExtra: IDEMPOTENCY },
  ],
  [
    "POST sales_credit_notes",
    schemas.salesCreditNoteInput,
    { definition: "postSalesCreditNotes", root: "sales_credit_note", maxLengthsFrom: "SalesCreditNote", allowExtra: IDEMPOTENCY },
  ],
  [
    "POST contact_payments",
    schemas.contactPaymentInput,
    { definition: "postContactPayments", root: "contact_payment", maxLengthsFrom: "ContactPayment", allowExtra: IDEMPOTENCY },
  ],
  [
    "POST contact_allocations",
    schemas.contactAllocationInput,
    { definition: "postContactAllocations", root: "contact_allocation", maxLengthsFrom: "ContactAllocation", allowExtra: IDEMPOTENCY },
  ],
  [
    "POST products",
    schemas.productInput,
    { definition: "postProducts", root: "product", maxLengthsFrom: "Product", allowExtra: IDEMPOTENCY },
  ],
  [
    "PUT products",
    schemas.productUpdate,
    { definition: "putProducts", root: "product", maxLengthsFrom: "Product", allowExtra: IDEMPOTENCY },
  ],
  [
    "POST services",
    schemas.serviceInput,
    { definition: "postServices", root: "service", maxLengthsFrom: "Service", allowExtra: IDEMPOTENCY },
  ],
  [
    "POST stock_items",
    schemas.stockItemInput,
    { definition: "postStockItems", root: "stock_item", maxLengthsFrom: "StockItem", allowExtra: IDEMPOTENCY },
  ],
  [
    "POST stock_movements",
    schemas.stockMovementInput,
    { definition: "postStockMovements", root: "stock_movement", maxLengthsFrom: "StockMovement", allowExtra: IDEMPOTENCY },
  ],
];

describe("emulator request schemas match Sage's Swagger", { skip }, () => {
  const doc = available ? loadSwagger(swaggerPath) : { definitions: {} };
  for (const [name, schema, target] of CASES) {
    test(name, () => {
      const report = checkSchema(doc, schema, target);
      assert.deepEqual(
        report,
        { unknownFields: [], typeMismatches: [], missingRequired: [], maxLengthGaps: [] },
        formatReport(name, report),
      );
    });
  }

  test("the checker catches what it claims to (a deliberately wrong schema)", () => {
    const wrong = z.object({
      name: z.string(),
      first_name: z.string(),
      credit_days: z.string(),
      reference: z.string().max(40).optional(),
    });
    const r = checkSchema(doc, wrong, { definition: "postContacts", root: "contact", maxLengthsFrom: "Contact" });
    assert.deepEqual(r.unknownFields, ["first_name"]);
    assert.deepEqual(r.typeMismatches, [{ path: "credit_days", zod: "string", swagger: "integer" }]);
    assert.deepEqual(r.missingRequired, ["contact_type_ids"]);
    assert.deepEqual(r.maxLengthGaps, [
      { path: "name", swaggerMax: 100, zodMax: null },
      { path: "reference", swaggerMax: 10, zodMax: 40 },
    ]);
  });
});
