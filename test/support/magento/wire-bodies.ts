/**
 * Test-only: Magento-shaped response bodies as raw JSON text (what goes over the wire), built
 * from wire-protocol §8.4/§8.5 — nullable getters omitted, whole floats without a fraction.
 */

/** wire-protocol §8.5, verbatim. */
export const INVOICE_8_5 = `{"magento_id":42,"increment_id":"000000042","order_id":40,"order_increment_id":"000000040",
 "website_id":1,"store_id":1,"currency":"GBP","state":"paid",
 "customer":{"magento_id":5,"email":"jo@example.com","first_name":"Jo","last_name":"Bloggs",
   "phone":"0123","website_id":1,"group_id":1,
   "addresses":[{"kind":"billing","street":["1 High St"],"city":"Leeds","postcode":"LS1 1AA","country_id":"GB"}],
   "created_at":"2026-01-02T03:04:05Z","updated_at":"2026-04-30T11:59:00Z"},
 "lines":[{"sku":"MB01","name":"Bag","qty":1,"unit_price":34,"line_subtotal":34,"line_tax":6.8,
   "line_total":40.8,"tax_rate":0.2,"product_type":"simple"}],
 "subtotal":34,"tax_amount":6.8,"shipping_amount":5,"shipping_tax_amount":1,"discount_amount":0,
 "grand_total":46.8,"created_at":"2026-04-30T12:00:00Z","payment_method":"checkmo",
 "billing_address":{"kind":"billing","street":["1 High St"],"city":"Leeds","postcode":"LS1 1AA","country_id":"GB"},
 "base_to_order_rate":1}`;

/** A guest: synthetic contact with magento_id 0, no group, order addresses. */
export const GUEST_CONTACT =
  '{"magento_id":0,"email":"guest@example.com","first_name":"Ann","last_name":"Guest","company":"Acme Ltd","website_id":0,' +
  '"addresses":[{"kind":"billing","street":["2 Low Rd","Flat 3"],"city":"York","region":"North Yorkshire","postcode":"YO1 7HH","country_id":"GB","telephone":"01904"}],' +
  '"created_at":"2026-04-30T12:00:00Z","updated_at":"2026-04-30T12:00:00Z"}';

export const CONTACT_5 =
  '{"magento_id":5,"email":"jo@example.com","first_name":"Jo","last_name":"Bloggs","phone":"0123","website_id":1,"group_id":1,' +
  '"addresses":[{"kind":"billing","street":["1 High St"],"city":"Leeds","postcode":"LS1 1AA","country_id":"GB"},' +
  '{"kind":"shipping","street":["1 High St"],"city":"Leeds","postcode":"LS1 1AA","country_id":"GB"}],' +
  '"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-04-30T11:59:00Z"}';

/** Refunded from the order (offline): no invoice_id / invoice_increment_id / invoice_created_at. */
export const CREDIT_MEMO_9 =
  '{"magento_id":9,"increment_id":"000000009","website_id":1,"currency":"EUR","customer":' +
  GUEST_CONTACT +
  ',"lines":[{"sku":"MB01","name":"Bag","qty":1,"unit_price":34,"line_subtotal":34,"line_tax":0,"line_total":34,"product_type":"simple"}]' +
  ',"adjustment_positive":0,"adjustment_negative":2.5,"grand_total":31.5,"shipping_amount":0,"shipping_tax_amount":0' +
  ',"reason":"Damaged","created_at":"2026-05-01T09:00:00Z","base_to_order_rate":1.17}';

/** gateway_metadata as the stock serializer emits it: values only, nested arrays JSON-stringified. */
export const PAYMENT_42 =
  '{"magento_id":42,"invoice_id":42,"invoice_increment_id":"000000042","method":"stripe_payments","currency":"GBP",' +
  '"amount":46.8,"captured_at":"2026-04-30T12:00:00Z","gateway_txn_id":"pi_123",' +
  '"gateway_metadata":["card","{\\"brand\\":\\"visa\\",\\"last4\\":\\"4242\\"}",true]}';

/** No stock item: stock_qty absent, manage_stock false. */
export const PRODUCT_7 =
  '{"magento_id":7,"sku":"MB01","name":"Bag","product_type":"simple","price":34,"cost":12.5,"weight":1,' +
  '"manage_stock":false,"tax_class":"2","website_ids":[1,2],"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-04-30T11:00:00Z"}';

export const PAYMENT_METHODS =
  '[{"code":"checkmo","label":"Check / Money order","is_active":true},{"code":"banktransfer","label":null,"is_active":false}]';

/** Stock webapi flattens Ping's associative array into a list. */
export const pingList = (tenantId: string) => JSON.stringify([true, tenantId, "2026-04-30T12:00:00+00:00"]);
