import { createHash, randomUUID } from "node:crypto";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { currentPolicy } from "@/lib/policy/store";
import { dispatchRuns, storedEventFor, syncEventFor, type SyncEvent } from "@/lib/sync/dispatch";
import {
  MAGENTO_EVENTS,
  PROVIDERS,
  parseWebhook,
  resolveIdempotencyKey,
  type MagentoEvent,
  type MirrorEntityType,
  type WebhookBody,
} from "./events";
import { NUL_WARNING, replaceNul, replaceNulText } from "./nul-bytes";
import { readRawBody } from "./raw-body";
import { consumeJti, verifyMagentoRequest } from "./request-auth";

/**
 * Webhook intake (wire-protocol §4.1 #1, §5, §12.1): one accepted delivery becomes one receipt and
 * one SyncRun per live binding of the Magento install, dispatched to Inngest in the same database
 * transaction — if the send fails nothing is stored and Magento retries on our 503.
 *
 * Idempotency keys are per entity, not per change, and Magento re-sends them on every transient
 * retry, from its resync CLI and after outbox GC. Per binding, the latest run for the key decides
 * (`repeatDecision`): live (queued/running/waiting) or succeeded → the repeat answers the original
 * `sync_run_id`; failed/skipped (or no run yet, e.g. a binding added since) → a new run in a new
 * receipt generation. A succeeded invoice, payment or credit-memo key is only re-done when the body
 * changed and the receipt is older than a day (wire-protocol §12.1). Upserts are never dropped
 * (decisions D12): a customer or product body that differs from the one behind the latest run starts
 * a new run whatever its age, once no run for the key is live.
 */

export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
/** Magento's outbox column is varchar(128); anything far longer is not from the module. */
const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const REPROCESS_SUCCEEDED_AFTER_MS = 24 * 3600_000;

const LIVE = new Set(["queued", "running", "waiting"]);
/** Keys whose every save must reach Sage (D12): an edit re-uses the entity's key with a new body. */
const UPSERT_EVENTS: ReadonlySet<string> = new Set(["customer.upserted", "product.upserted"]);
/** How soon Magento should retry an upsert that arrived while the key's run was mid-flight. */
const UPSERT_BUSY_RETRY_SECONDS = 60;
/** A run that has not moved for this long is presumed lost: it no longer holds back newer saves. */
const UPSERT_STALE_RUNNING_MS = 3600_000;
const log = childLog({ component: "magento.intake" });

export interface WebhookRequest {
  /** The `{tenant}` segment of the webhook URL: the Magento connection the token must be signed for. */
  connectionId: string;
  event: string;
  authorization: string | null;
  idempotencyKey: string | null;
  rawBody: Buffer;
  /** `?provider=`: only bindings of that provider (docs-only in the modules; honoured when sent). */
  provider: string | null;
  now?: Date;
}

export interface WebhookAccepted {
  syncRunId: string;
  /** True when the key was already being handled (or done): nothing new was created. */
  duplicate: boolean;
  runIds: string[];
}

function invalidBody(issues: { path: string; message: string }[]): AppError {
  const fields = Object.fromEntries(issues.map((i) => [i.path || "(root)", { code: "invalid", message: i.message }]));
  const summary = issues
    .slice(0, 3)
    .map((i) => `${i.path || "(root)"}: ${i.message}`)
    .join("; ");
  return new AppError("invalid_body", `The webhook body does not match the event's schema (${summary}).`, { fields });
}

function occurredAt(raw: string | undefined): Date | null {
  if (!raw || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(raw)) return null;
  const d = new Date(raw);
  return Number.isNaN(d.getTime()) ? null : d;
}

function incrementId(body: WebhookBody): string | null {
  const payload: Record<string, unknown> = body.payload;
  return typeof payload.increment_id === "string" && payload.increment_id !== "" ? payload.increment_id : null;
}

interface Parsed {
  event: MagentoEvent;
  entityType: MirrorEntityType;
  body: WebhookBody;
  /** NUL bytes replaced (PostgreSQL cannot store them); the runs record NUL_WARNING. */
  nulReplaced: number;
}

function parse(event: string, rawBody: Buffer): Parsed {
  const raw = replaceNulText(rawBody.toString("utf8"));
  const parsed = parseWebhook(event, raw.text);
  if (parsed.ok) {
    const clean = replaceNul(parsed.body);
    return { event: parsed.event, entityType: parsed.entityType, body: clean.value, nulReplaced: raw.replaced + clean.replaced };
  }
  if (parsed.reason === "unknown_event") {
    throw new AppError("unknown_event", `Ledger does not handle the event "${event}". Known events: ${MAGENTO_EVENTS.join(", ")}.`);
  }
  if (parsed.reason === "invalid_json") throw new AppError("bad_request", "The webhook body is not valid JSON.");
  throw invalidBody(parsed.issues);
}

/** Verify, validate, dedupe, store and dispatch one webhook delivery. */
export async function receiveWebhook(req: WebhookRequest): Promise<WebhookAccepted> {
  const now = req.now ?? new Date();
  const { claims, connection } = await verifyMagentoRequest({
    authorization: req.authorization,
    expectedConnectionId: req.connectionId,
    now,
  });
  const { event, entityType, body, nulReplaced } = parse(req.event, req.rawBody);
  if (req.provider !== null && !(PROVIDERS as readonly string[]).includes(req.provider)) {
    throw new AppError("bad_request", `Unknown provider "${req.provider}". Known providers: ${PROVIDERS.join(", ")}.`);
  }
  const key = resolveIdempotencyKey(req.idempotencyKey, event, req.rawBody);
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new AppError("bad_request", `The Idempotency-Key is longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`);
  }
  const bodySha256 = createHash("sha256").update(req.rawBody).digest("hex");
  const ctx = {
    connectionId: connection.id,
    tenantId: connection.tenantId,
    event,
    idempotencyKey: key,
    magentoEntityId: body.magento_entity_id,
  };
  if (nulReplaced) log.warn({ ...ctx, nulReplaced }, "webhook body carried NUL bytes; replaced");

  const accepted = await db().$transaction(
    async (tx) => {
      await consumeJti(claims, tx, now);
      // Serialises deliveries of one key: concurrent identical webhooks create one receipt.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`webhook:${connection.id}:${key}`}, 0))`;

      const bindings = await tx.binding.findMany({
        where: {
          magentoConnectionId: connection.id,
          status: { in: ["active", "pending_sage"] },
          ...(req.provider ? { provider: req.provider } : {}),
        },
        orderBy: { createdAt: "asc" },
      });
      if (bindings.length === 0) {
        throw new AppError(
          "tenant_revoked",
          req.provider
            ? `This store has no active ${req.provider} binding in Ledger. Connect it in the Ledger dashboard.`
            : "This store has no active binding in Ledger. Pair it again from the Ledger dashboard.",
        );
      }

      const previous = await tx.syncRun.findMany({
        where: { bindingId: { in: bindings.map((b) => b.id) }, idempotencyKey: key },
        orderBy: { createdAt: "desc" },
        include: { receipt: { select: { bodySha256: true, createdAt: true } } },
      });
      const latestByBinding = new Map<string, (typeof previous)[number]>();
      for (const run of previous) if (!latestByBinding.has(run.bindingId)) latestByBinding.set(run.bindingId, run);

      const decisions = bindings.map((b) => ({ binding: b, decision: repeatDecision(event, latestByBinding.get(b.id), bodySha256, now) }));
      if (decisions.some((d) => d.decision === "busy")) {
        // Nothing is stored: Magento keeps the event and retries once the run in flight has settled.
        throw new AppError(
          "service_unavailable",
          `Ledger is syncing ${entityType} ${body.magento_entity_id} right now; this newer save will be synced when Magento retries.`,
          { retryAfterSeconds: UPSERT_BUSY_RETRY_SECONDS },
        );
      }
      const needsRun = decisions.filter((d) => d.decision === "new_run").map((d) => d.binding);

      const latestReceipt = await tx.webhookReceipt.findFirst({
        where: { magentoConnectionId: connection.id, idempotencyKey: key },
        orderBy: { generation: "desc" },
      });

      if (needsRun.length === 0) {
        // Runs whose event may have been lost (crash between commit and send) are sent again; the
        // event id makes this a no-op when Inngest already has it.
        const queued = bindings.flatMap((b) => {
          const run = latestByBinding.get(b.id);
          return run && run.status === "queued" && run.inngestEventId ? [storedEventFor(run, b.sageConnectionId)] : [];
        });
        await send(queued);
        return {
          syncRunId: latestReceipt?.primaryRunId ?? previous[0].id,
          duplicate: true,
          runIds: [...latestByBinding.values()].map((r) => r.id),
        };
      }

      const runs = needsRun.map((binding) => ({ binding, id: randomUUID() }));
      const receipt = await tx.webhookReceipt.create({
        data: {
          magentoConnectionId: connection.id,
          idempotencyKey: key,
          generation: (latestReceipt?.generation ?? 0) + 1,
          event,
          bodySha256,
          primaryRunId: runs[0].id,
        },
      });
      const events = [];
      for (const { binding, id } of runs) {
        const policy = await currentPolicy(binding.id, tx);
        const active = binding.status === "active";
        const run = {
          id,
          tenantId: connection.tenantId,
          bindingId: binding.id,
          event,
          entityType,
          magentoEntityId: body.magento_entity_id,
        };
        const syncEvent = active ? syncEventFor(run, binding.sageConnectionId) : null;
        if (syncEvent) events.push(syncEvent);
        await tx.syncRun.create({
          data: {
            ...run,
            receiptId: receipt.id,
            magentoIncrementId: incrementId(body),
            websiteId: body.website_id ?? 0,
            storeId: body.store_id ?? 0,
            idempotencyKey: key,
            occurredAt: occurredAt(body.occurred_at),
            // A binding still waiting for Sage keeps its runs until Sage is connected (lib/sync/dispatch.ts, dispatchWaitingRuns).
            status: active ? "queued" : "waiting",
            warnings: nulReplaced ? [NUL_WARNING] : [],
            provider: binding.provider,
            policyVersion: policy.version,
            policySnapshot: policy.settings as unknown as Prisma.InputJsonValue,
            inngestEventId: syncEvent?.id ?? null,
          },
        });
      }
      await send(events);
      return { syncRunId: runs[0].id, duplicate: false, runIds: runs.map((r) => r.id) };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  log.info({ ...ctx, syncRunId: accepted.syncRunId, duplicate: accepted.duplicate, runs: accepted.runIds.length }, "webhook accepted");
  return accepted;
}

type LatestRun = { status: string; updatedAt: Date; receipt: { bodySha256: string; createdAt: Date } | null };

/**
 * What a delivery means for one binding, given the latest run for its key there:
 * - `duplicate`: answer the original sync_run_id, start nothing;
 * - `new_run`: a new run in a new receipt generation;
 * - `busy` (upserts only): a changed body while that run is already reading Magento — it may have
 *   read the old state, and a second run alongside it could post stock or contact changes out of
 *   order, so the delivery is refused as transient (503) and Magento retries after it settles. A
 *   queued or waiting run has not read Magento yet and will pick the change up itself. A run that has
 *   not moved for an hour (every attempt touches it) is presumed lost and no longer blocks the save,
 *   which would otherwise bounce until Magento dead-letters it.
 */
export function repeatDecision(
  event: string,
  last: LatestRun | undefined,
  bodySha256: string,
  now: Date,
): "duplicate" | "new_run" | "busy" {
  if (!last) return "new_run";
  const changed = last.receipt?.bodySha256 !== bodySha256;
  if (UPSERT_EVENTS.has(event)) {
    if (last.status === "running" && changed)
      return now.getTime() - last.updatedAt.getTime() > UPSERT_STALE_RUNNING_MS ? "new_run" : "busy";
    if (LIVE.has(last.status)) return "duplicate";
    if (last.status === "succeeded") return changed ? "new_run" : "duplicate";
    return "new_run"; // failed or skipped_by_policy: a repeat is a resync (§12.1)
  }
  if (LIVE.has(last.status)) return "duplicate";
  if (last.status === "succeeded") {
    const stale = !last.receipt || now.getTime() - last.receipt.createdAt.getTime() > REPROCESS_SUCCEEDED_AFTER_MS;
    return stale && changed ? "new_run" : "duplicate";
  }
  return "new_run"; // failed or skipped_by_policy: a repeat is a resync (§12.1)
}

/** Inngest unreachable is transient on our side: 503, so Magento keeps the event and retries. */
async function send(events: SyncEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    await dispatchRuns(events);
  } catch (e) {
    log.warn({ err: e instanceof Error ? e.message : String(e), events: events.length }, "dispatching sync runs failed");
    throw new AppError("service_unavailable", "Ledger could not queue the sync right now. Magento will retry.", {
      cause: e,
      retryAfterSeconds: 30,
    });
  }
}

/** The route's whole job: pull the parts out of the HTTP request and hand them over. */
export async function receiveWebhookRequest(request: Request, params: { connectionId: string; event: string }): Promise<WebhookAccepted> {
  const rawBody = await readRawBody(request, MAX_WEBHOOK_BODY_BYTES);
  return receiveWebhook({
    connectionId: params.connectionId,
    event: params.event,
    authorization: request.headers.get("authorization"),
    idempotencyKey: request.headers.get("idempotency-key"),
    rawBody,
    provider: new URL(request.url).searchParams.get("provider"),
  });
}
