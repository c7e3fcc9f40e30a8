import { Prisma } from "@/src/generated/prisma/client";
import { db } from "@/lib/db";

/**
 * Home's money (issue 17 point 2, ui.md "Home: money first"): per binding and currency over a period,
 * what merchants and accountants ask first — the invoice amounts posted to Sage, those not posted
 * (and why), and those posted whose payment did not reach Sage (so Sage shows them unpaid although
 * the chip is green, decision D4). Figures come from the invoice totals Magento sent with each run
 * (`entity_summary.total`), summed exactly in SQL's numeric; the latest run of each invoice decides.
 */

export interface MoneyRow {
  bindingId: string;
  currency: string;
  posted: string;
  postedCount: number;
  notPosted: string;
  notPostedCount: number;
  /** not posted, per skip reason or error class */
  notPostedWhy: { code: string; amount: string; count: number }[];
  postedUnpaid: string;
  postedUnpaidCount: number;
}

interface Raw {
  binding_id: string;
  currency: string;
  bucket: "posted" | "not_posted" | "pending";
  code: string | null;
  unpaid: boolean;
  amount: string;
  n: number;
}

const add = (a: string, b: string) => (Number(a) + Number(b)).toFixed(2);

/** The last `days` days of invoices (by their latest run), per binding and currency. */
export async function moneyForTenant(tenantId: string, days = 30): Promise<MoneyRow[]> {
  const since = new Date(Date.now() - days * 86_400_000);
  const latest = (event: string) => Prisma.sql`SELECT DISTINCT ON (binding_id, magento_entity_id) binding_id, magento_entity_id,
      status::text AS status, COALESCE(reason_code, error_class) AS code, entity_summary
    FROM sync_runs WHERE tenant_id = ${tenantId}::uuid AND event = ${event}
    ORDER BY binding_id, magento_entity_id, created_at DESC, id DESC`;
  const rows = await db().$queryRaw<Raw[]>`
    WITH inv AS (${latest("invoice.created")}), pay AS (${latest("invoice.paid")}),
    firsts AS (SELECT binding_id, magento_entity_id, min(created_at) AS first_at FROM sync_runs
               WHERE tenant_id = ${tenantId}::uuid AND event = 'invoice.created' GROUP BY 1, 2)
    SELECT i.binding_id, COALESCE(NULLIF(i.entity_summary->>'currency', ''), '?') AS currency,
      CASE WHEN i.status = 'succeeded' THEN 'posted' WHEN i.status IN ('skipped_by_policy', 'failed') THEN 'not_posted' ELSE 'pending' END AS bucket,
      CASE WHEN i.status IN ('skipped_by_policy', 'failed') THEN i.code END AS code,
      (i.status = 'succeeded' AND COALESCE(p.status IN ('skipped_by_policy', 'failed'), false)) AS unpaid,
      COALESCE(sum(CASE WHEN i.entity_summary->>'total' ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN (i.entity_summary->>'total')::numeric END), 0)::text AS amount,
      count(*)::int AS n
    FROM inv i JOIN firsts f USING (binding_id, magento_entity_id)
    LEFT JOIN pay p ON p.binding_id = i.binding_id AND p.magento_entity_id = i.magento_entity_id
    WHERE f.first_at >= ${since}
    GROUP BY 1, 2, 3, 4, 5`;
  const out = new Map<string, MoneyRow>();
  for (const r of rows) {
    const key = `${r.binding_id}:${r.currency}`;
    const m = out.get(key) ?? {
      bindingId: r.binding_id,
      currency: r.currency,
      posted: "0.00",
      postedCount: 0,
      notPosted: "0.00",
      notPostedCount: 0,
      notPostedWhy: [],
      postedUnpaid: "0.00",
      postedUnpaidCount: 0,
    };
    const n = Number(r.n);
    if (r.bucket === "posted") {
      m.posted = add(m.posted, r.amount);
      m.postedCount += n;
      if (r.unpaid) {
        m.postedUnpaid = add(m.postedUnpaid, r.amount);
        m.postedUnpaidCount += n;
      }
    } else if (r.bucket === "not_posted") {
      m.notPosted = add(m.notPosted, r.amount);
      m.notPostedCount += n;
      const code = r.code ?? "unknown";
      const why = m.notPostedWhy.find((w) => w.code === code);
      if (why) {
        why.amount = add(why.amount, r.amount);
        why.count += n;
      } else m.notPostedWhy.push({ code, amount: Number(r.amount).toFixed(2), count: n });
    }
    out.set(key, m);
  }
  return [...out.values()].sort((a, b) => a.bindingId.localeCompare(b.bindingId) || a.currency.localeCompare(b.currency));
}
