/**
 * Installed payment methods of the simulated store, in PaymentMethodList order. `title` is the
 * default-scope title (blank titles become `label: null` on the wire); `online` methods capture
 * through a gateway, so their invoices carry a transaction id and can be refunded online.
 */
export interface PaymentMethodDef {
  code: string;
  title: string;
  active: boolean;
  online: boolean;
}

export const PAYMENT_METHODS: PaymentMethodDef[] = [
  { code: "checkmo", title: "Check / Money order", active: true, online: false },
  { code: "banktransfer", title: "Bank Transfer Payment", active: true, online: false },
  { code: "purchaseorder", title: "Purchase Order", active: true, online: false },
  { code: "cashondelivery", title: "Cash On Delivery", active: false, online: false },
  { code: "free", title: "No Payment Information Required", active: true, online: false },
  { code: "braintree", title: "Credit Card (Braintree)", active: true, online: true },
  { code: "paypal_express", title: "PayPal Express Checkout", active: true, online: true },
  { code: "stripe_payments", title: "  Pay by Card (Stripe)  ", active: true, online: true },
  { code: "klarna_kp", title: "", active: false, online: true },
];

export function paymentMethod(code: string): PaymentMethodDef | undefined {
  return PAYMENT_METHODS.find((m) => m.code === code);
}
