import { z } from "zod";
import { parseMismatches, type TotalMismatch } from "@/lib/books/verify-posting";
import { db } from "@/lib/db";
import { settings } from "@/lib/env";
import { isRetryable } from "@/lib/sync/retry";
import type { RunStatusName } from "@/lib/status-views/vocabulary";
import { jsonDiff, type DiffEntry } from "./json-diff";
import { reconciliationHref } from "@/lib/reconciliation/period";
import { rowForRun } from "@/lib/reconciliation/queries";
import { entityRunsUrl, entityViewUrl, sageDocumentUrl } from "./links";

/**
 * Everything the run drawer shows: the run, its attempts in order, the payload diff between each
 * pair of consecutive attempts that carried a payload, and where to go next (the entity's status
 * view, its other runs, the Sage document when Sage's UI is reachable).
 */

export interface AttemptView {
  number: number;
  step: string | null;
  outcome: string;
  errorClass: string | null;
  errorMessage: string | null;
  httpStatus: number | null;
  requestSummary: unknown;
  responseSummary: unknown;
  hasPayload: boolean;
  startedAt: string;
  durationMs: number | null;
}

export interface PayloadDiff {
  fromAttempt: number;
  toAttempt: number;
  entries: DiffEntry[];
}

export interface RunDetail {
  id: string;
  status: RunStatusName;
  event: string;
  entityType: string;
  magentoEntityId: number;
  magentoIncrementId: string | null;
  reasonCode: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  warnings: string[];
  /** D11: every figure Sage holds that differs from Magento's, one per line of the drawer */
  mismatches: TotalMismatch[];
  provider: string;
  providerEntityId: string | null;
  providerReference: string | null;
  policyVersion: number;
  attemptCount: number;
  entitySummary: Record<string, unknown> | null;
  retryOfId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  /** The dashboard offers Retry (failed, skipped, or running past its lease). */
  retryable: boolean;
  binding: { id: string; status: string; magentoBaseUrl: string; sageBusinessName: string | null };
  attempts: AttemptView[];
  diffs: PayloadDiff[];
  links: { entityView: string | null; entityRuns: string; sageDocument: string | null; reconciliation: string | null };
}

/**
 * Sage's production UI has no per-document URL we could build (product-spec §3.7); the emulator has
 * one, and demos set SAGE_UI_BASE_URL to it.
 */
export function sageUiBase(): string | null {
  return settings().SAGE_UI_BASE_URL?.replace(/\/+$/, "") ?? null;
}

/** One run of the tenant, or null — for another tenant's id exactly as for an id that does not exist. */
export async function getRunDetail(tenantId: string, runId: string): Promise<RunDetail | null> {
  if (!z.uuid().safeParse(runId).success) return null;
  const run = await db().syncRun.findFirst({
    where: { id: runId, tenantId },
    include: {
      attempts: { orderBy: { number: "asc" } },
      binding: {
        select: {
          id: true,
          status: true,
          magentoConnection: { select: { baseUrl: true } },
          sageConnection: { select: { businessName: true } },
        },
      },
    },
  });
  if (!run) return null;
  const recon = await rowForRun(tenantId, run.id);
  const withPayload = run.attempts.filter((a) => a.payload !== null);
  const diffs: PayloadDiff[] = [];
  for (let i = 1; i < withPayload.length; i++) {
    const [a, b] = [withPayload[i - 1], withPayload[i]];
    diffs.push({ fromAttempt: a.number, toAttempt: b.number, entries: jsonDiff(a.payload, b.payload) });
  }
  const summary = run.entitySummary;
  return {
    id: run.id,
    status: run.status,
    event: run.event,
    entityType: run.entityType,
    magentoEntityId: Number(run.magentoEntityId),
    magentoIncrementId: run.magentoIncrementId,
    reasonCode: run.reasonCode,
    errorClass: run.errorClass,
    errorMessage: run.errorMessage,
    warnings: run.warnings,
    mismatches: parseMismatches(run.warningDetails),
    provider: run.provider,
    providerEntityId: run.providerEntityId,
    providerReference: run.providerReference,
    policyVersion: run.policyVersion,
    attemptCount: run.attemptCount,
    entitySummary: summary && typeof summary === "object" && !Array.isArray(summary) ? (summary as Record<string, unknown>) : null,
    retryOfId: run.retryOfId,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    updatedAt: run.updatedAt.toISOString(),
    retryable: isRetryable(run),
    binding: {
      id: run.binding.id,
      status: run.binding.status,
      magentoBaseUrl: run.binding.magentoConnection.baseUrl,
      sageBusinessName: run.binding.sageConnection?.businessName ?? null,
    },
    attempts: run.attempts.map((a) => ({
      number: a.number,
      step: a.step,
      outcome: a.outcome,
      errorClass: a.errorClass,
      errorMessage: a.errorMessage,
      httpStatus: a.httpStatus,
      requestSummary: a.requestSummary,
      responseSummary: a.responseSummary,
      hasPayload: a.payload !== null,
      startedAt: a.startedAt.toISOString(),
      durationMs: a.durationMs,
    })),
    diffs,
    links: {
      entityView: entityViewUrl(run.entityType, Number(run.magentoEntityId)),
      entityRuns: entityRunsUrl(run.entityType, Number(run.magentoEntityId)),
      sageDocument: sageDocumentUrl(sageUiBase(), run.event, run.providerEntityId),
      reconciliation: recon ? reconciliationHref({ ...recon, rowId: recon.rowId }) : null,
    },
  };
}
