import { createHash, randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { PROVIDERS, resolveIdempotencyKey } from "@/lib/magento/events";
import { jtiReplayEntry } from "@/lib/magento/jwt";
import { NUL_WARNING } from "@/lib/magento/nul-bytes";
import { readRawBody } from "@/lib/magento/raw-body";
import { pruneExpiredJtis, verifyMagentoRequest } from "@/lib/magento/request-auth";
import { storedEventFor, syncEventFor, type SyncEvent } from "@/lib/sync/dispatch";
import { repeatDecision, UPSERT_BUSY_RETRY_SECONDS } from "./decision";
import { incrementId, occurredAt, parseDelivery } from "./parse";
import { sendAfterCommit } from "./relay";
import { readKeyState, storeDelivery, type KeyState, type NewRun } from "./store";

/**
 * Webhook intake (wire-protocol §4.1 #1, §5, §12.1): one accepted delivery becomes one receipt and
 * one SyncRun per live binding of the Magento install. Commit, then send: the receipt and runs are
 * stored by one atomic statement (store.ts), the route answers 202, and the events reach Inngest
 * afterwards through the relay (relay.ts). No network call happens while a database connection is
 * held, and an unreachable Inngest never turns a webhook away: its runs wait, queued, until it is back.
 * What a repeated key means is decided in decision.ts (including D12's 503 for a changed upsert
 * while its run is mid-flight).
 */

export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
/** Magento's outbox column is varchar(128); anything far longer is not from the module. */
const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** Losing the generation race again and again means something is wrong: let Magento retry. */
const MAX_WRITE_ATTEMPTS = 3;
const log = childLog({ component: "intake" });

export interface WebhookRequest {
  /** The `{tenant}` segment of the webhook URL: the Magento connection the token must be signed for. */
  connectionId: string;
  event: string;
  authorization: string | null;
  idempotencyKey: string | null;
  /**
   * The exact body bytes, read only once the token checks out: a forged or stale token is turned
   * away without reading (or buffering) what it sent.
   */
  readBody: () => Promise<Buffer>;
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

/** Verify, validate, dedupe, store, answer — and send the events once committed. */
export async function receiveWebhook(req: WebhookRequest): Promise<WebhookAccepted> {
  const now = req.now ?? new Date();
  const { claims, connection } = await verifyMagentoRequest({
    authorization: req.authorization,
    expectedConnectionId: req.connectionId,
    now,
  });
  const rawBody = await req.readBody();
  const { event, entityType, body, nulReplaced } = parseDelivery(req.event, rawBody);
  if (req.provider !== null && !(PROVIDERS as readonly string[]).includes(req.provider)) {
    throw new AppError("bad_request", `Unknown provider "${req.provider}". Known providers: ${PROVIDERS.join(", ")}.`);
  }
  const key = resolveIdempotencyKey(req.idempotencyKey, event, rawBody);
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new AppError("bad_request", `The Idempotency-Key is longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`);
  }
  const bodySha256 = createHash("sha256").update(rawBody).digest("hex");
  const ctx = {
    connectionId: connection.id,
    tenantId: connection.tenantId,
    event,
    idempotencyKey: key,
    magentoEntityId: body.magento_entity_id,
  };
  if (nulReplaced) log.warn({ ...ctx, nulReplaced }, "webhook body carried NUL bytes; replaced");
  void pruneExpiredJtis(now);

  const entry = jtiReplayEntry(claims);
  let jti: { key: string; expiresAt: Date } | null = { key: entry.key, expiresAt: entry.expiresAt };
  for (let attempt = 1; ; attempt++) {
    const state = await readKeyState(connection.id, key, req.provider);
    if (state.bindings.length === 0) {
      throw new AppError(
        "tenant_revoked",
        req.provider
          ? `This store has no active ${req.provider} binding in Ledger. Connect it in the Ledger dashboard.`
          : "This store has no active binding in Ledger. Pair it again from the Ledger dashboard.",
      );
    }
    const decisions = state.bindings.map((b) => {
      const last = state.latestByBinding.get(b.id);
      const latest = last && {
        ...last,
        receipt: last.bodySha256 ? { bodySha256: last.bodySha256, createdAt: last.receiptCreatedAt! } : null,
      };
      return { binding: b, decision: repeatDecision(event, latest, bodySha256, now) };
    });
    if (decisions.some((d) => d.decision === "busy")) {
      // Nothing is stored (not even the jti): Magento keeps the event and retries once the run in flight has settled.
      throw new AppError(
        "service_unavailable",
        `Ledger is syncing ${entityType} ${body.magento_entity_id} right now; this newer save will be synced when Magento retries.`,
        { retryAfterSeconds: UPSERT_BUSY_RETRY_SECONDS },
      );
    }
    const needsRun = decisions.filter((d) => d.decision === "new_run").map((d) => d.binding);

    if (needsRun.length === 0) {
      if (jti) await consume(jti, connection.id, key);
      sendAfterCommit(unsentEvents(state));
      const accepted = { syncRunId: primaryRunId(state), duplicate: true, runIds: [...state.latestByBinding.values()].map((r) => r.id) };
      log.info({ ...ctx, syncRunId: accepted.syncRunId, duplicate: true, runs: accepted.runIds.length }, "webhook accepted");
      return accepted;
    }

    const events: SyncEvent[] = [];
    const runs: NewRun[] = needsRun.map((binding) => {
      const run = {
        id: randomUUID(),
        tenantId: connection.tenantId,
        bindingId: binding.id,
        event,
        entityType,
        magentoEntityId: body.magento_entity_id,
      };
      const active = binding.status === "active";
      const syncEvent = active ? syncEventFor(run, binding.sageConnectionId) : null;
      if (syncEvent) events.push(syncEvent);
      return {
        ...run,
        magentoIncrementId: incrementId(body),
        websiteId: body.website_id ?? 0,
        storeId: body.store_id ?? 0,
        occurredAt: occurredAt(body.occurred_at),
        // A binding still waiting for Sage keeps its runs until Sage is connected (lib/sync/dispatch.ts, dispatchWaitingRuns).
        status: active ? "queued" : "waiting",
        warnings: nulReplaced ? [NUL_WARNING] : [],
        provider: binding.provider,
        policyVersion: binding.policy.version,
        policySnapshot: binding.policy.settings,
        inngestEventId: syncEvent?.id ?? null,
      };
    });
    const generation = (state.receipt?.generation ?? 0) + 1;
    const stored = await storeDelivery({
      jti,
      connectionId: connection.id,
      idempotencyKey: key,
      receipt: { id: randomUUID(), generation, event, bodySha256, runs },
    });
    if (!stored.jtiFresh) throw replayed(entry.key);
    if (stored.stored) {
      sendAfterCommit(events);
      const accepted = { syncRunId: runs[0].id, duplicate: false, runIds: runs.map((r) => r.id) };
      log.info({ ...ctx, syncRunId: accepted.syncRunId, duplicate: false, runs: runs.length, generation }, "webhook accepted");
      return accepted;
    }
    // A concurrent delivery of the same key took this generation first (its jti and ours are both
    // spent now): read again, and answer with what it stored.
    jti = null;
    if (attempt >= MAX_WRITE_ATTEMPTS) {
      log.warn({ ...ctx, attempt }, "webhook lost the receipt race repeatedly");
      throw new AppError("service_unavailable", "Ledger is busy with this event right now. Magento will retry.", { retryAfterSeconds: 5 });
    }
  }
}

async function consume(jti: { key: string; expiresAt: Date }, connectionId: string, key: string): Promise<void> {
  const { jtiFresh } = await storeDelivery({ jti, connectionId, idempotencyKey: key, receipt: null });
  if (!jtiFresh) throw replayed(jti.key);
}

function replayed(jtiHash: string): AppError {
  log.warn({ jtiHash }, "replayed magento token");
  return new AppError("token_replayed", "This request's token was already used. Magento mints a new token for every request.");
}

/** The answer to a repeat: the latest receipt's primary run, else the newest run for the key. */
function primaryRunId(state: KeyState): string {
  if (state.receipt?.primaryRunId) return state.receipt.primaryRunId;
  const newest = [...state.latestByBinding.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  return newest.id;
}

/**
 * Queued runs of the key whose event never reached Inngest (a crash between commit and send, or a
 * send still failing): a repeat delivery sends them again. The event id makes that a no-op at the
 * executor when the first send did arrive.
 */
function unsentEvents(state: KeyState): SyncEvent[] {
  return state.bindings.flatMap((b) => {
    const run = state.latestByBinding.get(b.id);
    return run && run.status === "queued" && run.inngestEventId && !run.dispatchedAt ? [storedEventFor(run, b.sageConnectionId)] : [];
  });
}

/** The route's whole job: pull the parts out of the HTTP request and hand them over. */
export async function receiveWebhookRequest(request: Request, params: { connectionId: string; event: string }): Promise<WebhookAccepted> {
  return receiveWebhook({
    connectionId: params.connectionId,
    event: params.event,
    authorization: request.headers.get("authorization"),
    idempotencyKey: request.headers.get("idempotency-key"),
    readBody: () => readRawBody(request, MAX_WEBHOOK_BODY_BYTES),
    provider: new URL(request.url).searchParams.get("provider"),
  });
}
