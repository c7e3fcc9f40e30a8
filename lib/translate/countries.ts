/** EU member states (ISO-2) — cross-border lines to these carry `eu_goods_services_type_id` (D2). */
export const EU_COUNTRIES = new Set([
  "AT",
  "BE",
  "BG",
  "HR",
  "CY",
  "CZ",
  "DK",
  "EE",
  "FI",
  "FR",
  "DE",
  "GR",
  "HU",
  "IE",
  "IT",
  "LV",
  "LT",
  "LU",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SK",
  "SI",
  "ES",
  "SE",
]);

export function isEu(country: string | undefined): boolean {
  return !!country && EU_COUNTRIES.has(country.toUpperCase());
}
