import { nextCronTime } from "./cron.ts";
import { type Db, withTx } from "./db.ts";
import { createRun, type FnRow, jitterMs, loadFunction } from "./runs.ts";
import { type EventPayload, type ExecutorContext, internalEvents } from "./types.ts";

/** Keeps `crons` in step with the registered functions; unchanged schedules keep their next time. */
export async function syncCrons(db: Db, fns: FnRow[]): Promise<void> {
  const wanted: Array<{ fnId: string; cron: string }> = [];
  for (const fn of fns) {
    for (const t of fn.config.triggers) if ("cron" in t) wanted.push({ fnId: fn.id, cron: t.cron });
  }
  await db.query(
    `DELETE FROM inngest_local.crons c WHERE c.fn_id = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($2) AS w(fn_id text, cron text) WHERE w.fn_id = c.fn_id AND w.cron = c.cron)`,
    [fns.map((f) => f.id), JSON.stringify(wanted.map((w) => ({ fn_id: w.fnId, cron: w.cron })))],
  );
  for (const w of wanted) {
    await db.query(`INSERT INTO inngest_local.crons (fn_id, cron, next_at) VALUES ($1, $2, $3) ON CONFLICT (fn_id, cron) DO NOTHING`, [
      w.fnId,
      w.cron,
      new Date(nextCronTime(w.cron, Date.now())),
    ]);
  }
}

/**
 * Starts runs for due cron schedules. Missed ticks (executor down) are not back-filled, as in
 * Inngest: one run for the due tick, then the schedule moves to the next time after now.
 */
export async function tickCrons(ctx: ExecutorContext): Promise<void> {
  await withTx(ctx.pool, async (db) => {
    const due = await db.query<{ fn_id: string; cron: string; next_at: Date }>(
      "SELECT fn_id, cron, next_at FROM inngest_local.crons WHERE next_at <= now() FOR UPDATE SKIP LOCKED",
    );
    for (const row of due.rows) {
      const fn = await loadFunction(db, row.fn_id);
      await db.query("UPDATE inngest_local.crons SET next_at = $3 WHERE fn_id = $1 AND cron = $2", [
        row.fn_id,
        row.cron,
        new Date(nextCronTime(row.cron, Math.max(Date.now(), row.next_at.getTime()))),
      ]);
      if (!fn) continue;
      const event: EventPayload = {
        id: `cron-${row.fn_id}-${row.next_at.getTime()}`,
        name: internalEvents.scheduled,
        data: { cron: row.cron },
        ts: row.next_at.getTime(),
      };
      const fresh = await db.query("INSERT INTO inngest_local.events (id, name, payload) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING", [
        event.id,
        event.name,
        JSON.stringify(event),
      ]);
      if (fresh.rowCount === 0) continue;
      const trigger = fn.config.triggers.find((t) => "cron" in t && t.cron === row.cron);
      await createRun(db, ctx, fn, [event], { delayMs: jitterMs(trigger && "cron" in trigger ? trigger.jitter : undefined) });
    }
  });
}
