import { createHash, randomUUID } from "node:crypto";
import { AppError, isTransientInfraError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { PROVIDERS, resolveIdempotencyKey } from "@/lib/magento/events";
import { jtiReplayEntry } from "@/lib/magento/jwt";
import { NUL_WARNING } from "@/lib/magento/nul-bytes";
import { readRawBody } from "@/lib/magento/raw-body";
import { pruneExpiredJtis, verifyMagentoRequest } from "@/lib/magento/request-auth";
import { storedEventFor, syncEventFor, type SyncEvent } from "@/lib/sync/dispatch";
import { repeatDecision, UPSERT_BUSY_RETRY_SECONDS } from "./decision";
import { incrementId, occurredAt, parseDelivery } from "./parse";
import { Batcher, type Pending } from "./batch";
import { sendAfterCommit } from "./relay";
import { readKeyStates, storeDeliveries, type Delivery, type KeyState, type NewRun, type Stored } from "./store";

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
  return intake().submit({
    ctx,
    now,
    provider: req.provider,
    event,
    entityType,
    body,
    nulReplaced,
    bodySha256,
    jti: { key: entry.key, expiresAt: entry.expiresAt },
    attempt: 1,
  });
}

/** A verified, parsed delivery waiting for its batch. */
interface Submitted {
  ctx: { connectionId: string; tenantId: string; event: string; idempotencyKey: string; magentoEntityId: number };
  now: Date;
  provider: string | null;
  event: string;
  entityType: string;
  body: ReturnType<typeof parseDelivery>["body"];
  nulReplaced: number;
  bodySha256: string;
  /** The token's replay entry; null once an earlier write of this request spent it. */
  jti: { key: string; expiresAt: Date } | null;
  attempt: number;
}

/** What one delivery does, once its key's state is read. */
type Plan =
  /** a repeat whose token an earlier write of this request already spent: nothing to store */
  | { kind: "answer"; accepted: WebhookAccepted; events: SyncEvent[] }
  /** a repeat: store its jti, then answer */
  | { kind: "consume"; accepted: WebhookAccepted; events: SyncEvent[]; delivery: Delivery }
  /** new runs: store the jti, the receipt and its runs */
  | { kind: "store"; runs: NewRun[]; events: SyncEvent[]; delivery: Delivery };

/** Deliveries in flight at once under load share a batch (batch.ts); alone, one leaves at once. */
const MAX_BATCH = 64;
const g = globalThis as unknown as { __ledgerIntakeBatcher?: Batcher<Submitted, WebhookAccepted> };
const intake = () => (g.__ledgerIntakeBatcher ??= new Batcher(flushBatch, { maxBatch: MAX_BATCH, maxInFlight: 2 }));

async function flushBatch(
  batch: Pending<Submitted, WebhookAccepted>[],
  requeue: (p: Pending<Submitted, WebhookAccepted>, s: Submitted) => void,
): Promise<void> {
  const states = await readKeyStates(
    batch.map(({ item: s }) => ({ connectionId: s.ctx.connectionId, key: s.ctx.idempotencyKey, provider: s.provider })),
  );
  const writes: { p: Pending<Submitted, WebhookAccepted>; plan: Exclude<Plan, { kind: "answer" }> }[] = [];
  const jtis = new Set<string>();
  batch.forEach((p, i) => {
    let plan: Plan;
    try {
      plan = planDelivery(p.item, states[i]);
    } catch (e) {
      return p.reject(e);
    }
    if (plan.kind === "answer") return answer(p, plan.accepted, plan.events);
    const jti = plan.delivery.jti?.key;
    // One token twice in a batch: only the first can be fresh, so the second is a replay already.
    if (jti && jtis.has(jti)) return p.reject(replayed(jti));
    if (jti) jtis.add(jti);
    writes.push({ p, plan });
  });
  const results = await storeEachAlone(writes.map((w) => w.plan.delivery));
  const events: SyncEvent[] = [];
  writes.forEach(({ p, plan }, i) => {
    const result = results[i];
    if (result instanceof Error) return p.reject(result);
    const { jtiFresh, stored } = result;
    const s = p.item;
    if (!jtiFresh) return p.reject(replayed(plan.delivery.jti!.key));
    if (plan.kind === "consume") {
      events.push(...plan.events);
      return answer(p, plan.accepted, []);
    }
    if (stored) {
      events.push(...plan.events);
      const accepted = { syncRunId: plan.runs[0].id, duplicate: false, runIds: plan.runs.map((r) => r.id) };
      log.info(
        {
          ...s.ctx,
          syncRunId: accepted.syncRunId,
          duplicate: false,
          runs: plan.runs.length,
          generation: plan.delivery.receipt!.generation,
        },
        "webhook accepted",
      );
      return p.resolve(accepted);
    }
    // A concurrent delivery of the same key took this generation first (its jti and ours are both
    // spent now): read again in the next batch, and answer with what it stored.
    if (s.attempt >= MAX_WRITE_ATTEMPTS) {
      log.warn({ ...s.ctx, attempt: s.attempt }, "webhook lost the receipt race repeatedly");
      return p.reject(
        new AppError("service_unavailable", "Ledger is busy with this event right now. Magento will retry.", { retryAfterSeconds: 5 }),
      );
    }
    requeue(p, { ...s, jti: null, attempt: s.attempt + 1 });
  });
  sendAfterCommit(events);
}

/**
 * The batch's write; when the database refuses it for a reason that is not its own availability, each
 * delivery is written again on its own (the failed statement wrote nothing), so a delivery the database
 * cannot take fails alone and its neighbours are stored.
 */
async function storeEachAlone(ds: Delivery[]): Promise<(Stored | Error)[]> {
  try {
    return await storeDeliveries(ds);
  } catch (e) {
    if (ds.length === 1 || isTransientInfraError(e)) throw e;
    log.warn(
      { err: e instanceof Error ? e.message : String(e), deliveries: ds.length },
      "intake batch refused; writing its deliveries one by one",
    );
    return Promise.all(
      ds.map((d) =>
        storeDeliveries([d]).then(
          ([r]) => r,
          (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
        ),
      ),
    );
  }
}

function answer(p: Pending<Submitted, WebhookAccepted>, accepted: WebhookAccepted, events: SyncEvent[]): void {
  sendAfterCommit(events);
  log.info({ ...p.item.ctx, syncRunId: accepted.syncRunId, duplicate: true, runs: accepted.runIds.length }, "webhook accepted");
  p.resolve(accepted);
}

/** The repeat rules (decision.ts) applied to one delivery: what to store, and what to answer. */
function planDelivery(s: Submitted, state: KeyState): Plan {
  const { ctx, event, entityType, body } = s;
  if (state.bindings.length === 0) {
    throw new AppError(
      "tenant_revoked",
      s.provider
        ? `This store has no active ${s.provider} binding in Ledger. Connect it in the Ledger dashboard.`
        : "This store has no active binding in Ledger. Pair it again from the Ledger dashboard.",
    );
  }
  const decisions = state.bindings.map((b) => {
    const last = state.latestByBinding.get(b.id);
    const latest = last && {
      ...last,
      receipt: last.bodySha256 ? { bodySha256: last.bodySha256, createdAt: last.receiptCreatedAt! } : null,
    };
    return { binding: b, decision: repeatDecision(event, latest, s.bodySha256, s.now) };
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
  const base = { jti: s.jti, connectionId: ctx.connectionId, idempotencyKey: ctx.idempotencyKey };

  if (needsRun.length === 0) {
    // A repeat stores nothing but its jti (when it still holds one).
    const accepted = { syncRunId: primaryRunId(state), duplicate: true, runIds: [...state.latestByBinding.values()].map((r) => r.id) };
    const events = unsentEvents(state);
    return s.jti ? { kind: "consume", accepted, events, delivery: { ...base, receipt: null } } : { kind: "answer", accepted, events };
  }

  const events: SyncEvent[] = [];
  const runs: NewRun[] = needsRun.map((binding) => {
    const run = {
      id: randomUUID(),
      tenantId: ctx.tenantId,
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
      warnings: s.nulReplaced ? [NUL_WARNING] : [],
      provider: binding.provider,
      policyVersion: binding.policy.version,
      policySnapshot: binding.policy.settings,
      inngestEventId: syncEvent?.id ?? null,
    };
  });
  const generation = (state.receipt?.generation ?? 0) + 1;
  return {
    kind: "store",
    runs,
    events,
    delivery: { ...base, receipt: { id: randomUUID(), generation, event, bodySha256: s.bodySha256, runs } },
  };
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
    return run && run.status === "queued" && run.inngestEventId && run.undispatched ? [storedEventFor(run, b.sageConnectionId)] : [];
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
    // Magento's module sends no query string; parsing the URL only when there is one keeps it off
    // the path every delivery and every rejection takes.
    provider: request.url.includes("?") ? new URL(request.url).searchParams.get("provider") : null,
  });
}
