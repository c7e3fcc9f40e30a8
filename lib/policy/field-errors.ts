/**
 * The codes of inline settings errors and their plain meaning. Shared by the server-side validator
 * and the settings form (no server imports here), so the words under a field never drift from the code.
 */
export const POLICY_ERROR_CODES = [
  "not_in_reference",
  "invalid_format",
  "tier_limit_exceeded",
  "required",
  "too_long",
  "out_of_range",
  "invalid_type",
] as const;
export type PolicyErrorCode = (typeof POLICY_ERROR_CODES)[number];

export const POLICY_ERROR_MEANING: Record<PolicyErrorCode, string> = {
  not_in_reference: "Not found in your Sage data (deleted or never existed) — pick another, or Refresh if you just added it.",
  invalid_format: "This value is not in the expected format.",
  tier_limit_exceeded: "Not included in this workspace's plan: the Plan page shows which plan includes it.",
  required: "Required.",
  too_long: "Too long.",
  out_of_range: "Not one of the allowed values.",
  invalid_type: "This setting takes a different kind of value: see the hint under it.",
};

export interface PolicyFieldError {
  code: PolicyErrorCode;
  message: string;
}

/** Field path → its error. Keys are the policy's own keys, dotted for nested ones and bracketed for map entries. */
export type PolicyFieldErrors = Record<string, PolicyFieldError>;

/** The key of one entry of a map-valued setting, e.g. `tax_rate_map["20.00"]`. */
export function mapEntryKey(setting: string, entry: string): string {
  return `${setting}[${JSON.stringify(entry)}]`;
}
