import { readFileSync } from "node:fs";
import type { z } from "zod";

/**
 * Contract checker: compares a zod 4 object schema (a request body's inner object) with a
 * definition of a Swagger 2.0 document and reports what disagrees:
 *  - fields the zod schema accepts that the Swagger definition does not have,
 *  - type disagreements (a zod number/string union counts as a number: Sage money),
 *  - Swagger-required fields the zod schema treats as optional or lacks,
 *  - max lengths the zod schema does not enforce (no `.max()`, or a larger one).
 * Sage states most max lengths on response objects only, so `maxLengthsFrom` names a second
 * definition read at the same paths. The Swagger file is read at test time, never bundled.
 */

export interface SwaggerSchema {
  $ref?: string;
  type?: string;
  format?: string;
  properties?: Record<string, SwaggerSchema>;
  items?: SwaggerSchema;
  required?: string[];
  maxLength?: number;
  enum?: unknown[];
}
export interface SwaggerDoc {
  definitions: Record<string, SwaggerSchema>;
}

export interface ContractTarget {
  /** Request definition, e.g. `postSalesInvoices`. */
  definition: string;
  /** Body root inside it, e.g. `sales_invoice`. */
  root?: string;
  /** Response definition whose maxLengths also apply, e.g. `SalesInvoice`. */
  maxLengthsFrom?: string;
  /** Fields known to exist outside the Swagger (e.g. `idempotency_id`, sage-api §3.9). */
  allowExtra?: string[];
}

export interface ContractReport {
  unknownFields: string[];
  typeMismatches: { path: string; zod: string; swagger: string }[];
  missingRequired: string[];
  maxLengthGaps: { path: string; swaggerMax: number; zodMax: number | null }[];
}

export function loadSwagger(path: string): SwaggerDoc {
  return JSON.parse(readFileSync(path, "utf8")) as SwaggerDoc;
}

type AnyZod = z.core.$ZodType;
interface ZodDef {
  type: string;
  innerType?: AnyZod;
  in?: AnyZod;
  options?: AnyZod[];
  element?: AnyZod;
  shape?: Record<string, AnyZod>;
  values?: unknown[];
  entries?: Record<string, unknown>;
  checks?: { _zod: { def: { check: string; format?: string } } }[];
}
const defOf = (s: AnyZod): ZodDef => (s as unknown as { _zod: { def: ZodDef } })._zod.def;

/** Strips optional/nullable/default/pipe wrappers; reports whether the field may be omitted. */
function unwrap(s: AnyZod): { schema: AnyZod; optional: boolean } {
  let cur = s;
  let optional = false;
  for (;;) {
    const d = defOf(cur);
    if (d.type === "optional" || d.type === "default" || d.type === "prefault") optional = true;
    if (["optional", "nullable", "default", "prefault", "readonly", "catch"].includes(d.type) && d.innerType) cur = d.innerType;
    else if (d.type === "pipe" && d.in) cur = d.in;
    else return { schema: cur, optional };
  }
}

/** The JSON types a zod schema accepts, in Swagger's vocabulary. */
function zodKinds(s: AnyZod): Set<string> {
  const { schema } = unwrap(s);
  const d = defOf(schema);
  switch (d.type) {
    case "union":
      return new Set((d.options ?? []).flatMap((o) => [...zodKinds(o)]));
    case "number": {
      const isInt = (d.checks ?? []).some((c) => c._zod.def.check === "number_format" && c._zod.def.format?.includes("int"));
      return new Set([isInt ? "integer" : "number"]);
    }
    case "enum":
      return new Set(Object.values(d.entries ?? {}).map((v) => typeof v));
    case "literal":
      return new Set((d.values ?? []).map((v) => typeof v));
    default:
      return new Set([d.type]);
  }
}

function zodMax(s: AnyZod): number | null {
  const { schema } = unwrap(s);
  const max = (schema as unknown as { maxLength?: number | null }).maxLength;
  return typeof max === "number" && Number.isFinite(max) ? max : null;
}

function compatible(swaggerType: string, kinds: Set<string>): boolean {
  if (swaggerType === "number") return kinds.has("number") || kinds.has("integer");
  if (swaggerType === "integer") return kinds.has("integer");
  return kinds.has(swaggerType);
}

export function checkSchema(doc: SwaggerDoc, schema: AnyZod, target: ContractTarget): ContractReport {
  const resolve = (s: SwaggerSchema | undefined): SwaggerSchema | undefined => {
    let cur = s;
    for (let i = 0; cur?.$ref && i < 20; i++) cur = doc.definitions[cur.$ref.replace("#/definitions/", "")];
    return cur;
  };
  const def = resolve(doc.definitions[target.definition]);
  if (!def) throw new Error(`Swagger has no definition ${target.definition}`);
  const request = target.root ? resolve(def.properties?.[target.root]) : def;
  if (!request) throw new Error(`${target.definition} has no root ${target.root}`);
  const lengths = target.maxLengthsFrom ? resolve(doc.definitions[target.maxLengthsFrom]) : undefined;
  if (target.maxLengthsFrom && !lengths) throw new Error(`Swagger has no definition ${target.maxLengthsFrom}`);
  const report: ContractReport = { unknownFields: [], typeMismatches: [], missingRequired: [], maxLengthGaps: [] };
  const extra = new Set(target.allowExtra ?? []);

  const walk = (z: AnyZod, sw: SwaggerSchema, lens: SwaggerSchema | undefined, prefix: string) => {
    const shape = defOf(unwrap(z).schema).shape ?? {};
    const props = sw.properties ?? {};
    for (const name of sw.required ?? []) {
      if (!(name in shape) || unwrap(shape[name]).optional) report.missingRequired.push(prefix + name);
    }
    for (const [name, field] of Object.entries(shape)) {
      const path = prefix + name;
      const swField = resolve(props[name]);
      if (!swField) {
        if (!extra.has(path)) report.unknownFields.push(path);
        continue;
      }
      const lenField = resolve(lens?.properties?.[name]);
      const kinds = zodKinds(field);
      const swType = swField.type ?? (swField.properties ? "object" : "unknown");
      if (!compatible(swType, kinds)) {
        report.typeMismatches.push({ path, zod: [...kinds].join("|"), swagger: swType });
        continue;
      }
      if (swType === "string") {
        const limit = swField.maxLength ?? lenField?.maxLength;
        const zmax = zodMax(field);
        if (limit !== undefined && (zmax === null || zmax > limit)) report.maxLengthGaps.push({ path, swaggerMax: limit, zodMax: zmax });
      } else if (swType === "object") {
        walk(field, swField, lenField, `${path}.`);
      } else if (swType === "array") {
        const element = defOf(unwrap(field).schema).element;
        const items = resolve(swField.items);
        if (element && items && (items.type === "object" || items.properties)) walk(element, items, resolve(lenField?.items), `${path}[].`);
        else if (element && items?.type && !compatible(items.type, zodKinds(element))) {
          report.typeMismatches.push({ path: `${path}[]`, zod: [...zodKinds(element)].join("|"), swagger: items.type });
        }
      }
    }
  };
  walk(schema, request, lengths, "");
  return report;
}

export const isClean = (r: ContractReport): boolean =>
  r.unknownFields.length + r.typeMismatches.length + r.missingRequired.length + r.maxLengthGaps.length === 0;

export function formatReport(name: string, r: ContractReport): string {
  if (isClean(r)) return `${name}: matches the Swagger`;
  const lines = [`${name}:`];
  for (const f of r.unknownFields) lines.push(`  unknown field (not in Swagger): ${f}`);
  for (const t of r.typeMismatches) lines.push(`  type mismatch: ${t.path} zod=${t.zod} swagger=${t.swagger}`);
  for (const m of r.missingRequired) lines.push(`  Swagger-required but optional/missing in zod: ${m}`);
  for (const g of r.maxLengthGaps) lines.push(`  maxLength not enforced: ${g.path} swagger=${g.swaggerMax} zod=${g.zodMax ?? "none"}`);
  return lines.join("\n");
}
