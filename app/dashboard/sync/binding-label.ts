import type { BindingSummary } from "@/lib/bindings/summaries";

/** "shop.example.com ↔ Acme Ltd": how a binding is named in headers and pickers. */
export function bindingLabel(b: BindingSummary): string {
  let host = b.magento.baseUrl;
  try {
    host = new URL(b.magento.baseUrl).host;
  } catch {
    // keep the stored text
  }
  return `${host} ↔ ${b.sage?.businessName || "Sage not connected"}`;
}
