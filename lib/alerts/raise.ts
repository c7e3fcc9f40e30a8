import type { Prisma } from "@/src/generated/prisma/client";
import { db } from "@/lib/db";
import { childLog } from "@/lib/log";
import type { AlertKind } from "./kinds";

/**
 * Raising an alert is a cheap insert and nothing more: the digest cron (inngest/functions/alerts-digest.ts)
 * batches and delivers. It never throws: a sync that hits trouble recording its alert goes on, and the
 * failure is logged with context (never blocking or failing the run that raised it).
 */

const log = childLog({ component: "alerts" });

export interface AlertItem {
  /** Identifies the fact, so raising it again (a retried step, a second sweep) adds nothing: `run:<id>`. */
  key: string;
  /** One line for people. */
  summary: string;
  /** Path inside Ledger showing this item. */
  link?: string;
  data?: Prisma.InputJsonValue;
}

export interface RaiseAlert {
  tenantId: string;
  kind: AlertKind;
  bindingId?: string | null;
  items: AlertItem[];
  /** The digest's deep link (e.g. the filtered reconciliation); else the kind's default (lib/alerts/kinds.ts). */
  link?: string;
}

/** Records the items; answers how many were new (0 as well when recording failed: that is logged). */
export async function raiseAlert(alert: RaiseAlert): Promise<number> {
  if (!alert.items.length) return 0;
  try {
    const { count } = await db().alertEvent.createMany({
      data: alert.items.map((item) => ({
        tenantId: alert.tenantId,
        kind: alert.kind,
        bindingId: alert.bindingId ?? null,
        summary: item.summary.slice(0, 500),
        link: item.link ?? null,
        dedupeKey: item.key,
        data: { ...(alert.link ? { digestLink: alert.link } : {}), ...(item.data !== undefined ? { detail: item.data } : {}) },
      })),
      skipDuplicates: true,
    });
    return count;
  } catch (err) {
    log.error({ err, tenantId: alert.tenantId, kind: alert.kind, items: alert.items.length }, "could not record an alert");
    return 0;
  }
}
