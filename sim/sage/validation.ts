import { z } from "zod";
import { SageError, item, type SageErrorItem } from "./http.ts";

/**
 * Turns zod issues into Sage's error array. `$source` drops the root and array indexes, and names
 * document lines `line_items.` whatever the request called them (sage-api §3.7).
 */
export function sourcePath(path: readonly PropertyKey[]): string {
  return path
    .filter((p) => typeof p === "string")
    .map((p) => (p === "invoice_lines" || p === "credit_note_lines" ? "line_items" : String(p)))
    .join(".");
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function issueItems(issue: z.core.$ZodIssue, input: unknown, rootPath: PropertyKey[]): SageErrorItem[] {
  const source = sourcePath(issue.path.slice(rootPath.length));
  const at = (msg: string, src = source) => [item("RecordInvalid", msg, src)];
  switch (issue.code) {
    case "invalid_type": {
      const v = valueAt(input, issue.path);
      return at(v === undefined || v === null ? "This field is required." : "is invalid");
    }
    case "too_small":
      if (issue.origin === "string" || issue.origin === "array") {
        return at(Number(issue.minimum) <= 1 ? "This field is required." : `is too short (minimum is ${issue.minimum})`);
      }
      return at(`must be greater than or equal to ${issue.minimum}`);
    case "too_big":
      return at(
        issue.origin === "string"
          ? `is too long (maximum is ${issue.maximum} characters)`
          : `must be less than or equal to ${issue.maximum}`,
      );
    case "unrecognized_keys":
      return issue.keys.flatMap((k) => at("is not a valid attribute", source ? `${source}.${k}` : k));
    case "invalid_value":
      return at("is not included in the list");
    case "invalid_union":
      return at("is not a number");
    default:
      return at("is invalid");
  }
}

/** Validates `{ [root]: … }` and returns the inner object, or throws a 422 RecordInvalid array. */
export function parseRoot<S extends z.ZodType>(root: string, schema: S, body: unknown): z.output<S> {
  const wrapper = z.object({ [root]: schema });
  const parsed = wrapper.safeParse(body);
  if (parsed.success) return (parsed.data as Record<string, z.output<S>>)[root];
  const items = parsed.error.issues.flatMap((i) => {
    // A missing root itself is reported against the root name.
    if (i.code === "invalid_type" && i.path.length === 1 && i.path[0] === root) {
      return [item("RecordInvalid", "This field is required.", root)];
    }
    return issueItems(i, body, [root]);
  });
  throw new SageError(422, items);
}

/** Converts a decimal (number or numeric string) to a number. */
export const num = (v: number | string | undefined, fallback = 0): number => (v === undefined ? fallback : Number(v));
