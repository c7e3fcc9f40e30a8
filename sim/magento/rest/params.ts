import { invalidType, missingFields } from "./errors.ts";

/**
 * Magento's ServiceInputProcessor for scalar service parameters: body keys in snake_case or
 * camelCase map to the PHP parameter, JSON null counts as absent, strings/ints are cast.
 */

export interface ParamSpec {
  name: string; // PHP (camelCase) parameter name
  type: "string" | "int";
  required: boolean;
}

/** `SimpleDataObjectConverter::snakeCaseToCamelCase`. */
export function snakeToCamel(key: string): string {
  const joined = key
    .split("_")
    .map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
    .join("");
  return joined.charAt(0).toLowerCase() + joined.slice(1);
}

function display(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "1" : "";
  return JSON.stringify(value);
}

function cast(value: unknown, type: ParamSpec["type"]): string | number {
  if (type === "string") {
    if (typeof value === "string") return value;
    if (typeof value === "number") return String(value);
    if (typeof value === "boolean") return value ? "1" : "";
    throw invalidType(display(value), "string");
  }
  if (typeof value === "number" && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === "string" && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(value)) return Math.trunc(Number(value));
  throw invalidType(display(value), "int");
}

/** Resolves the parameters in signature order; throws the framework's 400s. */
export function resolveParams(body: unknown, specs: ParamSpec[]): Record<string, string | number | null> {
  const input: Record<string, unknown> = {};
  if (body && typeof body === "object" && !Array.isArray(body)) {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) input[snakeToCamel(k)] = v;
  }
  const missing = specs.filter((s) => s.required && (input[s.name] === undefined || input[s.name] === null)).map((s) => s.name);
  if (missing.length > 0) throw missingFields(missing);
  const out: Record<string, string | number | null> = {};
  for (const s of specs) {
    const v = input[s.name];
    out[s.name] = v === undefined || v === null ? null : cast(v, s.type);
  }
  return out;
}

/** Route `:id` → `int $id`. */
export function routeId(raw: string): number {
  const decoded = decodeURIComponent(raw);
  if (!/^[+-]?\d+$/.test(decoded)) throw invalidType(decoded, "int");
  return Number(decoded);
}
