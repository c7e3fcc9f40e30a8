/** Rows of the simulated Magento store, shaped like the Magento entities the module reads. */

export interface AddressData {
  firstname: string | null;
  lastname: string | null;
  company: string | null;
  street: string[];
  city: string;
  region: string | null;
  postcode: string | null;
  country_id: string;
  telephone: string | null;
}

export interface CustomerAddress extends AddressData {
  id: number;
}

/** Order addresses carry their own row id: billing and shipping are "different" when the ids differ. */
export interface OrderAddress extends AddressData {
  address_id: number;
}

export interface Customer {
  entity_id: number;
  email: string;
  firstname: string | null;
  lastname: string | null;
  website_id: number;
  group_id: number | null;
  addresses: CustomerAddress[];
  default_billing: number | null;
  default_shipping: number | null;
  created_at: Date;
  updated_at: Date;
}

export type ProductType = "simple" | "virtual" | "downloadable" | "configurable" | "bundle" | "grouped";

export interface Product {
  entity_id: number;
  sku: string;
  name: string;
  type_id: ProductType;
  price: number | null;
  special_price: number | null;
  cost: number | null;
  weight: number | null;
  tax_class_id: number;
  has_stock_item: boolean;
  stock_qty: number | null;
  manage_stock: boolean;
  website_ids: number[];
  /** For configurables: the simple child that is ordered under it. */
  child_id: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface OrderPayment {
  method: string;
  po_number: string | null;
  last_trans_id: string | null;
  additional_information: Record<string, unknown>;
}

export interface Order {
  entity_id: number;
  increment_id: string;
  store_id: number;
  customer_id: number | null;
  customer_email: string;
  customer_firstname: string | null;
  customer_lastname: string | null;
  order_currency_code: string;
  base_currency_code: string;
  base_to_order_rate: number;
  billing_address: OrderAddress | null;
  shipping_address: OrderAddress | null;
  payment: OrderPayment | null;
  created_at: Date;
  updated_at: Date;
}

export interface DocItem {
  product_id: number;
  sku: string;
  name: string;
  product_type: string;
  qty: number;
  price: number;
  row_total: number;
  tax_amount: number;
  tax_percent: number;
  discount_amount: number;
  /** Index of the parent line for configurable children (Magento keeps both rows). */
  parent_index: number | null;
}

export interface DocTotals {
  subtotal: number;
  tax_amount: number;
  shipping_amount: number;
  shipping_tax_amount: number;
  /** Negative, as Magento stores document discounts. */
  discount_amount: number;
  grand_total: number;
}

export const INVOICE_STATE = { open: 1, paid: 2, cancelled: 3 } as const;

export interface Invoice extends DocTotals {
  entity_id: number;
  increment_id: string;
  order_id: number;
  store_id: number;
  state: number;
  order_currency_code: string | null;
  base_currency_code: string | null;
  base_to_order_rate: number | null;
  items: DocItem[];
  created_at: Date;
  updated_at: Date;
}

export interface CreditMemo extends DocTotals {
  entity_id: number;
  increment_id: string;
  order_id: number;
  invoice_id: number | null;
  store_id: number;
  order_currency_code: string | null;
  base_currency_code: string | null;
  base_to_order_rate: number | null;
  items: DocItem[];
  adjustment_positive: number;
  adjustment_negative: number;
  refund_online: boolean;
  comments: string[];
  created_at: Date;
}

/** Stores of the simulated install: store id → website id (store 1 = default website). */
export const STORES: Record<number, { website_id: number; code: string; name: string }> = {
  1: { website_id: 1, code: "default", name: "Main Website Store (UK)" },
  2: { website_id: 2, code: "eu", name: "EU Website Store" },
};

/** Tax classes of the simulated catalogue and the UK rate each carries. */
export const TAX_CLASSES: Record<number, { name: string; percent: number }> = {
  0: { name: "None", percent: 0 },
  2: { name: "Taxable Goods", percent: 20 },
  5: { name: "Reduced Rate", percent: 5 },
  6: { name: "Zero Rated", percent: 0 },
};

export const BASE_CURRENCY = "GBP";
export const BUSINESS_COUNTRY = "GB";
export const DEFAULT_RATES: Record<string, number> = { GBP: 1, EUR: 1.17, USD: 1.27 };
