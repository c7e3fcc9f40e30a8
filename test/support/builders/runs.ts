import { randomUUID } from "node:crypto";
import type { Prisma } from "@/src/generated/prisma/client";
import { db } from "@/lib/db";
import { mirrorEntityType, type MagentoEvent } from "@/lib/magento/events";
import type { RunStatusName } from "@/lib/status-views/vocabulary";

/**
 * Test-only builders of sync history: a tenant with bindings (each with its own Magento store and
 * Sage business), runs, their attempts and cross-references, written through Prisma as the engine
 * would leave them. Used by the history and status-view integration tests and the browser tests'
 * seed (e2e/seed-history.ts, e2e/seed-merchant.ts).
 */

export interface SeededTenant {
  tenantId: string;
  bindingIds: string[];
  magentoConnectionIds: string[];
  businessIds: string[];
}

export async function seedTenant(name: string, bindings = 2, opts: { provider?: string[] } = {}): Promise<SeededTenant> {
  const tenant = await db().tenant.create({ data: { name } });
  const out: SeededTenant = { tenantId: tenant.id, bindingIds: [], magentoConnectionIds: [], businessIds: [] };
  for (let i = 0; i < bindings; i++) {
    const m = await db().magentoConnection.create({
      data: { tenantId: tenant.id, baseUrl: `https://shop${i}.${name.toLowerCase().replace(/\W/g, "")}.test`, status: "active" },
    });
    const businessId = `biz-${randomUUID()}`;
    const s = await db().sageConnection.create({ data: { tenantId: tenant.id, businessId, businessName: `${name} Ltd ${i}` } });
    const b = await db().binding.create({
      data: {
        tenantId: tenant.id,
        magentoConnectionId: m.id,
        sageConnectionId: s.id,
        status: "active",
        provider: opts.provider?.[i] ?? "sage_accounting",
      },
    });
    out.bindingIds.push(b.id);
    out.magentoConnectionIds.push(m.id);
    out.businessIds.push(businessId);
  }
  return out;
}

export interface RunSpec {
  bindingId: string;
  event?: MagentoEvent;
  entityId?: number;
  incrementId?: string;
  status?: RunStatusName;
  reasonCode?: string;
  errorClass?: string;
  errorMessage?: string;
  createdAt?: Date;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  attemptCount?: number;
  providerEntityId?: string;
  providerReference?: string;
  summary?: Prisma.InputJsonValue;
  provider?: string;
  warnings?: string[];
  warningDetails?: Prisma.InputJsonValue;
  /** Defaults to a unique `<event>:<entity>:<n>`. */
  idempotencyKey?: string;
}

let seq = 0;

/** Insert runs; returns their ids in the order given. */
export async function insertRuns(tenantId: string, specs: RunSpec[]): Promise<string[]> {
  const rows = specs.map((s) => {
    const event = s.event ?? "invoice.created";
    const entityId = s.entityId ?? ++seq + 1000;
    return {
      id: randomUUID(),
      tenantId,
      bindingId: s.bindingId,
      event,
      entityType: mirrorEntityType(event),
      magentoEntityId: entityId,
      magentoIncrementId: s.incrementId ?? null,
      idempotencyKey: s.idempotencyKey ?? `${event}:${entityId}:${++seq}`,
      status: s.status ?? "succeeded",
      reasonCode: s.reasonCode ?? null,
      errorClass: s.errorClass ?? null,
      errorMessage: s.errorMessage ?? null,
      providerEntityId: s.providerEntityId ?? null,
      providerReference: s.providerReference ?? null,
      provider: s.provider ?? "sage_accounting",
      policyVersion: 1,
      policySnapshot: {},
      entitySummary: s.summary,
      attemptCount: s.attemptCount ?? 1,
      warnings: s.warnings ?? [],
      ...(s.warningDetails !== undefined ? { warningDetails: s.warningDetails } : {}),
      createdAt: s.createdAt ?? new Date(),
      startedAt: s.startedAt === undefined ? null : s.startedAt,
      finishedAt: s.finishedAt === undefined ? null : s.finishedAt,
    };
  });
  await db().syncRun.createMany({ data: rows });
  return rows.map((r) => r.id);
}

export interface AttemptSpec {
  step: string;
  outcome: "succeeded" | "failed";
  errorClass?: string;
  errorMessage?: string;
  httpStatus?: number;
  request?: Prisma.InputJsonValue;
  response?: Prisma.InputJsonValue;
  payload?: Prisma.InputJsonValue;
  startedAt?: Date;
  durationMs?: number;
}

/** A run's attempts, numbered from 1 in the order given (what the run detail lists and diffs). */
export async function addAttempts(runId: string, attempts: AttemptSpec[]): Promise<void> {
  await db().runAttempt.createMany({
    data: attempts.map((a, i) => ({
      runId,
      number: i + 1,
      step: a.step,
      outcome: a.outcome,
      errorClass: a.errorClass ?? null,
      errorMessage: a.errorMessage ?? null,
      httpStatus: a.httpStatus ?? null,
      requestSummary: a.request,
      responseSummary: a.response,
      payload: a.payload,
      startedAt: a.startedAt ?? new Date(),
      durationMs: a.durationMs ?? null,
    })),
  });
}

/** A Magento ↔ Sage cross-reference of a binding (contacts per currency, documents…). */
export async function makeXref(x: {
  bindingId: string;
  entityType: string;
  magentoKey: string;
  currency?: string;
  sageId: string;
  sageReference?: string | null;
  data?: Prisma.InputJsonValue;
}): Promise<void> {
  const binding = await db().binding.findUniqueOrThrow({
    where: { id: x.bindingId },
    include: { sageConnection: { select: { businessId: true } } },
  });
  if (!binding.sageConnection) throw new Error(`binding ${x.bindingId} has no Sage business for a cross-reference`);
  await db().entityXref.create({
    data: {
      magentoConnectionId: binding.magentoConnectionId,
      sageBusinessId: binding.sageConnection.businessId,
      bindingId: x.bindingId,
      entityType: x.entityType,
      magentoKey: x.magentoKey,
      currency: x.currency ?? "",
      sageId: x.sageId,
      sageReference: x.sageReference ?? null,
      data: x.data,
    },
  });
}
