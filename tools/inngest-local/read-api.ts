import type pg from "pg";

/**
 * Read side shaped like Inngest's REST API (`/v1/events/{id}/runs`, `/v1/runs/{id}`): a `{data}`
 * envelope, `run_id`, `status` in Inngest's casing ("Running", "Completed", "Failed",
 * "Cancelled", plus "Queued" before the first call), `output`, and timestamps. `steps` and `error`
 * are additions for tests and the runs page.
 */
export interface RunView {
  run_id: string;
  function_id: string;
  event_id: string;
  status: string;
  output: unknown;
  error: unknown;
  created_at: string;
  run_started_at: string | null;
  ended_at: string | null;
}

export interface StepView {
  id: string;
  name: string | null;
  op: string;
  result: unknown;
  created_at: string;
}

interface RunRow {
  id: string;
  fn_id: string;
  event_id: string;
  status: string;
  output: unknown;
  error: unknown;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
}

const RUN_COLUMNS = "id, fn_id, event_id, status, output, error, created_at, started_at, ended_at";

function toView(r: RunRow): RunView {
  return {
    run_id: r.id,
    function_id: r.fn_id,
    event_id: r.event_id,
    status: r.status,
    // Inngest reports a failed run's error as its output.
    output: r.status === "Failed" ? r.error : r.output,
    error: r.error,
    created_at: r.created_at.toISOString(),
    run_started_at: r.started_at?.toISOString() ?? null,
    ended_at: r.ended_at?.toISOString() ?? null,
  };
}

export async function runsForEvent(pool: pg.Pool, eventId: string): Promise<RunView[]> {
  const res = await pool.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM inngest_local.runs WHERE event_id = $1 ORDER BY id`, [eventId]);
  return res.rows.map(toView);
}

export interface PendingView {
  id: string;
  op: string;
  name: string | null;
}

export async function getRun(pool: pg.Pool, runId: string): Promise<(RunView & { steps: StepView[]; pending: PendingView[] }) | null> {
  const res = await pool.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM inngest_local.runs WHERE id = $1`, [runId]);
  if (!res.rows[0]) return null;
  const steps = await pool.query<{ id: string; name: string | null; op: string; result: unknown; created_at: Date }>(
    "SELECT id, name, op, result, created_at FROM inngest_local.steps WHERE run_id = $1 ORDER BY seq",
    [runId],
  );
  const pending = await pool.query<PendingView>(
    "SELECT id, op, name FROM inngest_local.pending WHERE run_id = $1 ORDER BY created_at, id",
    [runId],
  );
  return {
    ...toView(res.rows[0]),
    steps: steps.rows.map((s) => ({ ...s, created_at: s.created_at.toISOString() })),
    pending: pending.rows,
  };
}

export async function listRuns(pool: pg.Pool, filter: { limit: number; status?: string; functionId?: string }): Promise<RunView[]> {
  const res = await pool.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM inngest_local.runs
      WHERE ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR fn_id = $3)
      ORDER BY created_at DESC, id DESC LIMIT $1`,
    [filter.limit, filter.status ?? null, filter.functionId ?? null],
  );
  return res.rows.map(toView);
}

export async function getEvent(pool: pg.Pool, eventId: string): Promise<unknown> {
  const res = await pool.query<{ payload: unknown; received_at: Date }>(
    "SELECT payload, received_at FROM inngest_local.events WHERE id = $1",
    [eventId],
  );
  const row = res.rows[0];
  return row ? { ...(row.payload as object), received_at: row.received_at.toISOString() } : null;
}

export interface AppView {
  app_id: string;
  url: string;
  synced_at: string;
  functions: string[];
  refused: Array<{ id: string; reasons: string[] }>;
}

export async function listApps(pool: pg.Pool): Promise<AppView[]> {
  const res = await pool.query<{ app_id: string; url: string; synced_at: Date; refused: AppView["refused"]; functions: string[] | null }>(
    `SELECT a.app_id, a.url, a.synced_at, a.refused, array_agg(f.id ORDER BY f.id) FILTER (WHERE f.id IS NOT NULL) AS functions
       FROM inngest_local.apps a LEFT JOIN inngest_local.functions f ON f.app_id = a.app_id
      GROUP BY a.app_id ORDER BY a.app_id`,
  );
  return res.rows.map((r) => ({ ...r, synced_at: r.synced_at.toISOString(), functions: r.functions ?? [] }));
}
