import { z } from "zod";
import { SyncError, type SyncErrorClass } from "@/lib/errors";
import type { GuardedFailure } from "@/lib/net/guarded-fetch";

/**
 * How Magento's failures become our error vocabulary.
 *
 * Magento's webapi error body is `{"message":"<template>","parameters":{…}|[…]}` (wire-protocol
 * §8.1). The template is rendered like Magento's Phrase placeholder renderer: `%1…%n` for a list,
 * `%name` for an object, longest key first, one pass (PHP `strtr`).
 */

const errorBodySchema = z.object({
  message: z.string(),
  parameters: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
});

function asText(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v);
}

export function renderMagentoMessage(template: string, parameters?: unknown[] | Record<string, unknown>): string {
  if (!parameters) return template;
  const pairs = Array.isArray(parameters)
    ? parameters.map((v, i) => [`%${i + 1}`, asText(v)] as const)
    : Object.entries(parameters).map(([k, v]) => [`%${k}`, asText(v)] as const);
  if (pairs.length === 0) return template;
  const map = new Map<string, string>(pairs);
  const alternatives = [...map.keys()].sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return template.replace(new RegExp(alternatives.join("|"), "g"), (m) => map.get(m) ?? m);
}

/** Magento's rendered error message, or null when the body is not a Magento error body. */
export function magentoErrorMessage(body: Buffer | string): string | null {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(body.toString()));
    return parsed.success ? renderMagentoMessage(parsed.data.message, parsed.data.parameters) : null;
  } catch {
    return null;
  }
}

/** Status → sync class (decisions D3): decided by status, never by message text. */
export function syncClassForStatus(status: number): SyncErrorClass {
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status === 408 || status >= 500) return "http";
  // 400, 422 and the remaining 4xx are permanent problems with what we asked for.
  return "validation";
}

function retryAfterSeconds(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isInteger(seconds) && seconds >= 0 ? seconds : undefined;
}

/** A SyncError for a non-2xx Magento response, keeping Magento's own message when it sent one. */
export function syncErrorForResponse(status: number, body: Buffer, headers: Record<string, string>, what: string): SyncError {
  const magentoMessage = magentoErrorMessage(body);
  const message = magentoMessage ?? `Magento answered ${what} with HTTP ${status}`;
  return new SyncError(syncClassForStatus(status), message, {
    status,
    retryAfterSeconds: retryAfterSeconds(headers["retry-after"]),
    details: { request: what },
    origin: "magento",
  });
}

/** A SyncError for a request that never produced a usable response. */
export function syncErrorForFailure(failure: GuardedFailure, what: string): SyncError {
  const opts = { details: { request: what, failure: failure.kind, code: failure.code }, origin: "magento" as const };
  switch (failure.kind) {
    case "timeout":
      return new SyncError("http", `Magento did not answer ${what} in time (${failure.message})`, opts);
    case "unreachable":
      return new SyncError("http", `Could not reach Magento for ${what} (${failure.code ?? failure.message})`, opts);
    case "tls":
      return new SyncError("http", `Magento's HTTPS certificate was rejected (${failure.code ?? failure.message})`, opts);
    case "redirect":
      return new SyncError(
        "http",
        `Magento redirected ${what} (HTTP ${failure.status}) to ${failure.location ?? "an unknown location"}; the stored Magento base URL needs updating`,
        { ...opts, status: failure.status },
      );
    case "too_large":
      return new SyncError("serde", `Magento's answer to ${what} was too large (${failure.message})`, opts);
    case "blocked_address":
    case "invalid_url":
      return new SyncError("validation", `The Magento base URL cannot be used: ${failure.message}`, opts);
  }
}
