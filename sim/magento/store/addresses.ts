import type { AddressData } from "./types.ts";

/**
 * A small address book per country so the admin forms and the generator can say "a customer in
 * FR" without typing an address. Streets include a `/` and non-ASCII letters on purpose: both
 * exercise the PHP encoders (`\/` on REST output, `\uXXXX` everywhere).
 */
export const SAMPLE_ADDRESSES: Record<string, Omit<AddressData, "firstname" | "lastname" | "company">[]> = {
  GB: [
    {
      street: ["1 High Street", ""],
      city: "Leeds",
      region: "West Yorkshire",
      postcode: "LS1 1AA",
      country_id: "GB",
      telephone: "0113 496 0000",
    },
    {
      street: ["Unit 4/5 Riverside Works", "Canal Road"],
      city: "Manchester",
      region: null,
      postcode: "M4 6BF",
      country_id: "GB",
      telephone: "0161 496 0123",
    },
    { street: ["22 Queen's Road"], city: "Bristol", region: "Avon", postcode: "BS8 1QE", country_id: "GB", telephone: null },
  ],
  FR: [
    { street: ["12 rue de l'Église"], city: "Lyon", region: "Rhône", postcode: "69002", country_id: "FR", telephone: "+33 4 72 00 00 00" },
  ],
  DE: [{ street: ["Müllerstraße 7"], city: "München", region: "Bayern", postcode: "80331", country_id: "DE", telephone: "+49 89 123456" }],
  IE: [
    {
      street: ["5 Grafton Street"],
      city: "Dublin",
      region: "Co. Dublin",
      postcode: "D02 X285",
      country_id: "IE",
      telephone: "+353 1 555 0101",
    },
  ],
  NL: [{ street: ["Keizersgracht 123"], city: "Amsterdam", region: null, postcode: "1015 CJ", country_id: "NL", telephone: null }],
  ES: [
    {
      street: ["Calle de Alcalá 45", "3º izq."],
      city: "Madrid",
      region: "Madrid",
      postcode: "28014",
      country_id: "ES",
      telephone: "+34 91 555 0000",
    },
  ],
  US: [
    {
      street: ["350 Fifth Avenue", "Suite 4200"],
      city: "New York",
      region: "New York",
      postcode: "10118",
      country_id: "US",
      telephone: "+1 212 555 0100",
    },
  ],
  CH: [
    { street: ["Bahnhofstrasse 10"], city: "Zürich", region: "Zürich", postcode: "8001", country_id: "CH", telephone: "+41 44 555 00 00" },
  ],
  NO: [{ street: ["Karl Johans gate 1"], city: "Oslo", region: null, postcode: "0154", country_id: "NO", telephone: "+47 22 00 00 00" }],
  AU: [{ street: ["1 Macquarie Street"], city: "Sydney", region: "NSW", postcode: "2000", country_id: "AU", telephone: null }],
};

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

export function sampleAddress(
  country: string,
  index = 0,
  person?: { firstname?: string | null; lastname?: string | null; company?: string | null },
): AddressData {
  const list = SAMPLE_ADDRESSES[country.toUpperCase()];
  if (!list) throw new Error(`no sample address for country ${country}`);
  const base = list[index % list.length];
  return {
    firstname: person?.firstname ?? null,
    lastname: person?.lastname ?? null,
    company: person?.company ?? null,
    ...base,
    street: [...base.street],
  };
}
