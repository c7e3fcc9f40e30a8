import { createHash, randomBytes } from "node:crypto";
import type pg from "pg";
import { SCHEMA, withTx, type Db, type Tx } from "./db.ts";
import { SageError, item } from "./http.ts";
import { log } from "./log.ts";

/** Every emulated resource is one row in `sage_emu.records`, its Sage representation in `data`. */
export type Kind =
  | "contacts"
  | "sales_invoices"
  | "sales_credit_notes"
  | "contact_payments"
  | "contact_allocations"
  | "products"
  | "services"
  | "stock_items"
  | "stock_movements";

export type Json = Record<string, unknown>;
type Queryable = Db | Tx | pg.PoolClient;

export const newId = (): string => randomBytes(16).toString("hex");
/** Sage timestamps: ISO-8601 with Z and no milliseconds. */
export const nowIso = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

export async function getRecord(
  q: Queryable,
  businessId: string,
  kind: Kind,
  id: string,
  opts: { forUpdate?: boolean; includeDeleted?: boolean } = {},
): Promise<Json | undefined> {
  const res = await q.query(
    `SELECT data FROM ${SCHEMA}.records WHERE business_id = $1 AND kind = $2 AND id = $3
     ${opts.includeDeleted ? "" : "AND deleted_at IS NULL"} ${opts.forUpdate ? "FOR UPDATE" : ""}`,
    [businessId, kind, id],
  );
  return res.rows[0]?.data as Json | undefined;
}

export async function insertRecord(q: Queryable, businessId: string, kind: Kind, data: Json): Promise<void> {
  await q.query(`INSERT INTO ${SCHEMA}.records (business_id, kind, id, data, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`, [
    businessId,
    kind,
    data.id,
    JSON.stringify(data),
    data.created_at,
  ]);
}

export async function updateRecord(q: Queryable, businessId: string, kind: Kind, data: Json): Promise<void> {
  await q.query(`UPDATE ${SCHEMA}.records SET data = $4, updated_at = $5 WHERE business_id = $1 AND kind = $2 AND id = $3`, [
    businessId,
    kind,
    data.id,
    JSON.stringify(data),
    data.updated_at,
  ]);
}

export async function softDelete(q: Queryable, businessId: string, kind: Kind, id: string): Promise<void> {
  await q.query(
    `UPDATE ${SCHEMA}.records SET deleted_at = now(), data = data || jsonb_build_object('deleted_at', $4::text)
     WHERE business_id = $1 AND kind = $2 AND id = $3`,
    [businessId, kind, id, nowIso()],
  );
}

/** Document numbers (SI-1, CN-1…) come from a per-business counter bumped inside the creating tx. */
export async function nextNumber(tx: Tx, businessId: string, name: string): Promise<number> {
  const res = await tx.query(
    `INSERT INTO ${SCHEMA}.counters (business_id, name, value) VALUES ($1, $2, 1)
     ON CONFLICT (business_id, name) DO UPDATE SET value = ${SCHEMA}.counters.value + 1 RETURNING value`,
    [businessId, name],
  );
  return Number(res.rows[0].value);
}

/** Collects SQL conditions with positional parameters for list queries. */
export class Where {
  readonly parts: string[] = [];
  readonly params: unknown[];
  constructor(initial: unknown[]) {
    this.params = [...initial];
  }
  /** `?` in the fragment is replaced by the next positional parameter. */
  add(fragment: string, ...values: unknown[]): this {
    let sql = fragment;
    for (const v of values) {
      this.params.push(v);
      sql = sql.replace("?", `$${this.params.length}`);
    }
    this.parts.push(sql);
    return this;
  }
}

export async function listRecords(
  db: Db,
  businessId: string,
  kind: Kind,
  build: (w: Where) => void,
  order: string,
  perPage: number,
  page: number,
  deletedSince?: string,
) {
  const where = new Where([businessId, kind]);
  // `deleted_since` (exclusive, sage-api §3.6) lists what was deleted after it instead of what lives.
  if (deletedSince) where.add("deleted_at > ?::timestamptz", deletedSince);
  else where.add("deleted_at IS NULL");
  build(where);
  const cond = ["business_id = $1", "kind = $2", ...where.parts].join(" AND ");
  const total = Number((await db.query(`SELECT count(*) AS n FROM ${SCHEMA}.records WHERE ${cond}`, where.params)).rows[0].n);
  // Sage returns the last page for a page past the end (sage-api §3.4).
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const effectivePage = Math.min(Math.max(1, page), lastPage);
  const rows = await db.query(
    `SELECT data FROM ${SCHEMA}.records WHERE ${cond} ORDER BY ${order} LIMIT ${perPage} OFFSET ${(effectivePage - 1) * perPage}`,
    where.params,
  );
  return { total, page: effectivePage, items: rows.rows.map((r) => r.data as Json) };
}

/** For the UI's deep links: a GUID names one record whatever its business. */
export async function findById(db: Db, kind: Kind, id: string): Promise<{ businessId: string; data: Json } | undefined> {
  const res = await db.query(`SELECT business_id, data FROM ${SCHEMA}.records WHERE kind = $1 AND id = $2`, [kind, id]);
  return res.rows[0] ? { businessId: res.rows[0].business_id, data: res.rows[0].data } : undefined;
}

const IDEMPOTENCY_WINDOW = "7 days";

export interface CreateResult {
  status: number;
  body: Json;
  replayed: boolean;
}

/**
 * Runs `create` in one transaction guarded by the body's `idempotency_id` (sage-api §3.9): within
 * 7 days the same id on the same resource returns the first response and creates nothing; the id on
 * another resource is `IdempotencyResourceMismatch`. A failed create rolls the claim back, so only
 * successes are replayed. Concurrent duplicates serialise on the primary key.
 */
export async function createIdempotent(
  db: Db,
  businessId: string,
  kind: Kind,
  idempotencyId: string | undefined,
  requestBody: unknown,
  create: (tx: Tx) => Promise<Json>,
): Promise<CreateResult> {
  return withTx(db, async (tx) => {
    if (!idempotencyId) return { status: 201, body: await create(tx), replayed: false };
    const key = idempotencyId.toLowerCase();
    const hash = createHash("sha256").update(JSON.stringify(requestBody)).digest("hex");
    await tx.query(
      `DELETE FROM ${SCHEMA}.idempotency WHERE business_id = $1 AND idempotency_id = $2 AND created_at < now() - interval '${IDEMPOTENCY_WINDOW}'`,
      [businessId, key],
    );
    const claimed = await tx.query(
      `INSERT INTO ${SCHEMA}.idempotency (business_id, idempotency_id, kind, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [businessId, key, kind, hash],
    );
    if (claimed.rowCount === 1) {
      const body = await create(tx);
      await tx.query(`UPDATE ${SCHEMA}.idempotency SET response = $3 WHERE business_id = $1 AND idempotency_id = $2`, [
        businessId,
        key,
        JSON.stringify(body),
      ]);
      return { status: 201, body, replayed: false };
    }
    const prior = (
      await tx.query(`SELECT kind, request_hash, response FROM ${SCHEMA}.idempotency WHERE business_id = $1 AND idempotency_id = $2`, [
        businessId,
        key,
      ])
    ).rows[0] as { kind: string; request_hash: string; response: Json } | undefined;
    if (!prior) throw new SageError(409, [item("Conflict", "Concurrent request with the same idempotency_id.")]);
    if (prior.kind !== kind) throw new SageError(422, [item("IdempotencyResourceMismatch", "Entity type mismatch", "idempotency_id")]);
    if (prior.request_hash !== hash) {
      log.warn({ businessId, kind, idempotencyId: key }, "idempotency_id replayed with a different body; first result wins");
    }
    return { status: 201, body: prior.response, replayed: true };
  });
}
