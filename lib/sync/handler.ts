import type { Prisma } from "@/src/generated/prisma/client";
import type { TotalMismatch } from "@/lib/books/verify-posting";
import { parseEventData, syncRequestedData } from "@/lib/jobs/events";
import { NUL_WARNING, replaceNul } from "@/lib/magento/nul-bytes";
import type { Skip } from "@/lib/policy/evaluate";
import { attemptStep, failRun, isStaleExecution, startRun, type AttemptNotes, type StepTools } from "./engine";
import { pushLater, settle } from "./finish";
import type { RunScope } from "./runs";
import { addRunWarning, saveEntitySummary } from "./runs";

/**
 * The shape every sync function shares: start the run → fetch the canonical entity from Magento
 * (recorded when it fails) → apply the policy snapshot (skip with a reason, chip pushed) → the
 * event-specific work → settle and push; any failure settles the run as failed with its class and
 * still pushes the chip. Each function file only says what is specific to its event. An execution
 * that finds its run no longer `running` (settled, retried or recovered meanwhile) stops quietly:
 * the run belongs to another execution now.
 */

export type Succeeded = {
  providerEntityId: string | null;
  providerReference: string | null;
  warnings?: string[];
  /** structured warning details (D11's total_mismatch figures), stored on the run */
  warningDetails?: TotalMismatch[];
};

export interface SyncSpec<E, D extends { action: "proceed" }> {
  /** Magento GET(s) for the run's entity (scope reloaded from the run's row); returns JSON (memoised as a step output). */
  fetch(scope: RunScope, notes: AttemptNotes): Promise<unknown>;
  /** zod-parse the memoised JSON back into the canonical type. */
  parse(raw: unknown): E;
  /** What the status views show about the entity (written as soon as it is fetched). */
  summary(entity: E): Prisma.InputJsonValue;
  decide(entity: E, scope: RunScope): D | Skip;
  /** The event's own work; may still conclude with a skip (e.g. a product save that changed nothing but stock). */
  sync(args: { step: StepTools; scope: RunScope; entity: E; decision: D }): Promise<Succeeded | Skip>;
  /** After a success (e.g. wake runs waiting for this invoice). */
  afterSuccess?(args: { step: StepTools; scope: RunScope }): Promise<void>;
}

export function syncRunHandler<E, D extends { action: "proceed" }>(spec: SyncSpec<E, D>) {
  return async ({ event, step }: { event: { name?: string; data: unknown }; step: StepTools }) => {
    const { runId } = parseEventData(syncRequestedData, event);
    const start = await startRun(step, runId);
    if (!start.go) return { skipped: start.why };
    const { scope } = start;
    try {
      const entity = spec.parse(
        await attemptStep(
          step,
          scope,
          "fetch-canonical",
          async (notes, fresh) => {
            // PostgreSQL cannot store NUL bytes and Magento can: replace them before anything is saved.
            const { value: raw, replaced } = replaceNul(await spec.fetch(fresh, notes));
            if (replaced) await addRunWarning(runId, NUL_WARNING);
            await saveEntitySummary(runId, spec.summary(spec.parse(raw)));
            return raw;
          },
          "failures",
        ),
      );
      const decision = (await step.run("apply-policy", async () => spec.decide(entity, scope))) as D | Skip;
      if (decision.action === "skip") {
        await settle(step, runId, { status: "skipped_by_policy", reasonCode: decision.reason });
        return { skipped: decision.reason };
      }
      const done = await spec.sync({ step, scope, entity, decision: decision as D });
      if ("action" in done) {
        await settle(step, runId, { status: "skipped_by_policy", reasonCode: done.reason });
        return { skipped: done.reason };
      }
      await settle(step, runId, {
        status: "succeeded",
        ...done,
        warningDetails: done.warningDetails as unknown as Prisma.InputJsonValue | undefined,
      });
      await spec.afterSuccess?.({ step, scope });
      return done;
    } catch (e) {
      if (isStaleExecution(e)) return { skipped: "stale" };
      await failRun(step, runId, e);
      await pushLater(step, runId);
      return { failed: true };
    }
  };
}
