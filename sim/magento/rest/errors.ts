import type { PhpJson } from "../module/php-json.ts";

/**
 * Magento webapi exceptions as they reach the wire (wire-protocol §8.1): the message is the raw
 * template with %placeholders, parameters are emitted only when non-empty, and an InputException with
 * several errors becomes the generic message plus an `errors` list.
 */
export class WebapiError extends Error {
  constructor(
    readonly status: number,
    readonly template: string,
    readonly parameters: { [k: string]: PhpJson } | PhpJson[] = [],
    readonly errors: WebapiError[] = [],
  ) {
    super(template);
  }

  body(): { [k: string]: PhpJson } {
    const out: { [k: string]: PhpJson } = { message: this.template };
    if (this.errors.length > 0) {
      out.errors = this.errors.map((e) => {
        const item: { [k: string]: PhpJson } = { message: e.template };
        if (hasParams(e.parameters)) item.parameters = e.parameters;
        return item;
      });
    }
    if (hasParams(this.parameters)) out.parameters = this.parameters;
    return out;
  }
}

const hasParams = (p: WebapiError["parameters"]): boolean => (Array.isArray(p) ? p.length > 0 : Object.keys(p).length > 0);

export const ENTITY_NOT_FOUND = "The entity that was requested doesn't exist. Verify the entity and try again.";
export const ID_REQUIRED = "An ID is needed. Set the ID and try again.";
export const PRODUCT_NOT_FOUND = "The product that was requested doesn't exist. Verify the product and try again.";

export const notFound = (template = ENTITY_NOT_FOUND, parameters: WebapiError["parameters"] = []) =>
  new WebapiError(404, template, parameters);
export const inputError = (template: string, parameters: WebapiError["parameters"] = []) => new WebapiError(400, template, parameters);

export const unauthorizedConsumer = () =>
  new WebapiError(401, "The consumer isn't authorized to access %resources.", { resources: "Byte8_Client::byte8_webapi" });

export const noRoute = () => new WebapiError(404, "Request does not match any route.");

export const requiredField = (fieldName: string) => new WebapiError(400, '"%fieldName" is required. Enter and try again.', { fieldName });

export function missingFields(fields: string[]): WebapiError {
  if (fields.length === 1) return requiredField(fields[0]);
  return new WebapiError(400, "One or more input exceptions have occurred.", [], fields.map(requiredField));
}

export const invalidType = (value: string, type: string) =>
  new WebapiError(400, 'The "%value" value\'s type is invalid. The "%type" type was expected. Verify and try again.', { value, type });
