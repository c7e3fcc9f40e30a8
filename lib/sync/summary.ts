import type { Contact, CreditMemo, Invoice, Product } from "@/lib/magento/canonical";
import { personName } from "@/lib/translate/contact";

/**
 * What the dashboard's status views show about a run's Magento entity without calling Magento again.
 * Written as soon as the canonical entity is fetched, so even failed runs show who and how much.
 */

function customerName(c: Contact): string {
  return c.company?.trim() || personName(c) || c.email;
}

export function invoiceSummary(inv: Invoice) {
  return {
    incrementId: inv.increment_id,
    orderIncrementId: inv.order_increment_id,
    orderId: inv.order_id,
    customerName: customerName(inv.customer),
    customerEmail: inv.customer.email,
    customerId: inv.customer.magento_id,
    total: inv.grand_total,
    currency: inv.currency,
    state: inv.state,
    createdAt: inv.created_at,
  };
}

export function creditMemoSummary(m: CreditMemo) {
  return {
    incrementId: m.increment_id,
    invoiceId: m.invoice_id ?? null,
    invoiceIncrementId: m.invoice_increment_id ?? null,
    customerName: customerName(m.customer),
    customerEmail: m.customer.email,
    customerId: m.customer.magento_id,
    total: m.grand_total,
    currency: m.currency,
    createdAt: m.created_at,
  };
}

export function customerSummary(c: Contact) {
  return { name: customerName(c), email: c.email, company: c.company ?? null };
}

export function productSummary(p: Product) {
  return { sku: p.sku, name: p.name, type: p.product_type, price: p.price ?? null };
}
