import { dictionary } from "@zxcvbn-ts/language-common";
import { z } from "zod";

/**
 * What a new password must be: at least MIN_PASSWORD_LENGTH characters, and not one that attackers
 * try first. "Common" is judged against zxcvbn-ts's list of the most used passwords from public
 * breaches (about 49 000, `@zxcvbn-ts/language-common`, pinned), case-insensitively, and also with
 * trailing digits and symbols removed — "Password1234!" is "password" with decoration.
 */

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

const COMMON = new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));

export function isCommonPassword(password: string): boolean {
  const lower = password.normalize("NFKC").toLowerCase();
  if (COMMON.has(lower)) return true;
  const stem = lower.replace(/[\d\W_]+$/u, "");
  return stem.length >= 4 && stem !== lower && COMMON.has(stem);
}

export const PASSWORD_RULES = {
  tooShort: `Use at least ${MIN_PASSWORD_LENGTH} characters`,
  tooLong: "That password is too long",
  common: "That password is on lists of common passwords; choose one that is not",
} as const;

/** A new password (sign-up, accepting an invitation), with the message of the first rule it breaks. */
export const newPasswordSchema = z.string().superRefine((p, ctx) => {
  const problem = passwordProblem(p);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** The first rule a new password breaks, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return PASSWORD_RULES.tooShort;
  if (password.length > MAX_PASSWORD_LENGTH) return PASSWORD_RULES.tooLong;
  if (isCommonPassword(password)) return PASSWORD_RULES.common;
  return null;
}
