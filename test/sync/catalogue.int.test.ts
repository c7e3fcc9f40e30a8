import "@/test/support/env";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";

let s: SyncStack;
before(async () => {
  s = await startSyncStack();
});
after(() => s?.stop());

const runsOf = async (event: string, id: number) => (await s.runs()).filter((r) => r.event === event && r.magentoEntityId === id);
type Entity = { entity_id: number };

test("customer.upserted: creates the customer's base-currency contact with reference M{id} and a synced chip", async () => {
  const c = (await s.magento("POST", "customers", {
    email: "ann@example.com",
    firstname: "Ann",
    lastname: "Able",
    company: "Able Ltd",
    country: "GB",
  })) as unknown as Entity;
  await s.settle();
  const [first] = await runsOf("customer.upserted", c.entity_id);
  assert.equal(first.status, "succeeded", `${first.errorClass} ${first.errorMessage}`);
  assert.equal(first.providerReference, `M${c.entity_id}`);
  const contact = await s.sage(`/contacts/${first.providerEntityId}`);
  // Magento's canonical customer carries no profile company (wire-protocol §8.4), so the person names it.
  assert.equal(contact.name, "Ann Able");
  assert.equal((contact.currency as { id: string }).id, "GBP");
  const mirror = (await s.mirror("customer")).find((m) => Number(m.magento_id) === c.entity_id)!;
  assert.equal(mirror.sync_status, "synced");
});

test("customer_name_priority: Company names the contact after the order's company, Person after the buyer (D6)", async () => {
  await s.magento("POST", "products", { sku: "ROPE", name: "Rope", type_id: "simple", price: 12, tax_class_id: 2 });
  const order = async (email: string) => {
    const { invoice } = (await s.magento("POST", "orders", {
      guest: { email, firstname: "Ben", lastname: "Baker", company: "Baker Co" },
      lines: [{ sku: "ROPE", qty: 1, tax_percent: 20 }],
      payment_method: "checkmo",
      invoice_state: "open",
    })) as unknown as { invoice: Entity };
    await s.settle();
    const [run] = await runsOf("invoice.created", invoice.entity_id);
    const doc = await s.sage(`/sales_invoices/${run.providerEntityId}`);
    return s.sage(`/contacts/${(doc.contact as { id: string }).id}`);
  };
  const company = await order("company@example.com");
  assert.equal(company.name, "Baker Co");
  await s.savePolicy({ customer_name_priority: "Person" });
  const person = await order("person@example.com");
  assert.equal(person.name, "Ben Baker");
  assert.equal((person.main_address as { name?: string }).name, "Baker Co");
  await s.savePolicy({});
});

test("products: off by default; simple → product, virtual → service, configurable skipped; stock items reconcile stock", async () => {
  const off = (await s.magento("POST", "products", { sku: "P-OFF", name: "Not synced", type_id: "simple", price: 5 })) as unknown as Entity;
  await s.settle();
  assert.equal((await runsOf("product.upserted", off.entity_id))[0].reasonCode, "products_sync_disabled");

  await s.savePolicy({ sync_products: true, default_purchase_ledger_account_id: s.refs.purchase });
  const simple = (await s.magento("POST", "products", {
    sku: "P-SIMPLE",
    name: "Stove",
    type_id: "simple",
    price: 45.5,
    cost: 20,
  })) as unknown as Entity;
  const virtual = (await s.magento("POST", "products", {
    sku: "P-WARRANTY",
    name: "Warranty",
    type_id: "virtual",
    price: 9.99,
  })) as unknown as Entity;
  const conf = (await s.magento("POST", "products", {
    sku: "P-CONF",
    name: "Jacket",
    type_id: "configurable",
    price: 60,
    child: { sku: "P-CONF-M", name: "Jacket M", price: 60 },
  })) as unknown as Entity;
  await s.settle();
  const [simpleRun] = await runsOf("product.upserted", simple.entity_id);
  assert.equal(simpleRun.status, "succeeded", `${simpleRun.errorClass} ${simpleRun.errorMessage}`);
  const product = await s.sage(`/products/${simpleRun.providerEntityId}`);
  assert.equal(product.item_code, "P-SIMPLE");
  assert.equal(Number((product.sales_prices as { price: string }[])[0].price), 45.5);
  const [virtualRun] = await runsOf("product.upserted", virtual.entity_id);
  const service = await s.sage(`/services/${virtualRun.providerEntityId}`);
  assert.equal(service.item_code, "P-WARRANTY");
  assert.equal((await runsOf("product.upserted", conf.entity_id))[0].reasonCode, "product_type_not_supported");

  await s.savePolicy({ sync_products: true, sync_stock: true, default_purchase_ledger_account_id: s.refs.purchase });
  const stocked = (await s.magento("POST", "products", {
    sku: "P-STOCK",
    name: "Gas canister",
    type_id: "simple",
    price: 6,
    cost: 2.5,
    stock_qty: 40,
  })) as unknown as Entity;
  await s.settle();
  const [stockRun] = await runsOf("product.upserted", stocked.entity_id);
  assert.equal(stockRun.status, "succeeded", `${stockRun.errorClass} ${stockRun.errorMessage}`);
  const item = await s.sage(`/stock_items/${stockRun.providerEntityId}`);
  assert.equal(Number(item.quantity_in_stock), 40, "a stock movement brought Sage to Magento's quantity (D7)");
});

test("purchase ledger account missing with products on → a validation failure that names the setting", async () => {
  await s.savePolicy({ sync_products: true });
  const p = (await s.magento("POST", "products", { sku: "P-NOACC", name: "Pegs", type_id: "simple", price: 3 })) as unknown as Entity;
  await s.settle();
  const [run] = await runsOf("product.upserted", p.entity_id);
  assert.equal(run.status, "failed");
  assert.equal(run.errorClass, "validation");
  assert.match(run.errorMessage ?? "", /purchase ledger account/);
  const row = (await s.mirror("product")).find((m) => Number(m.magento_id) === p.entity_id)!;
  assert.equal(row.sync_status, "failed");
  assert.equal(row.error_code, "validation");
  await s.savePolicy({});
});
