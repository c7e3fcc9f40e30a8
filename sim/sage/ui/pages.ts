import { SCHEMA } from "../db.ts";
import { escapeHtml as h, type Reply, type Req } from "../http.ts";
import type { Runtime } from "../runtime.ts";
import { BUSINESSES, businessSeed } from "../seed.ts";
import { findById, type Json, type Kind } from "../store.ts";
import { ACCOUNTANT_KINDS, accountantCard, handleAccountantForm } from "./accountant-forms.ts";
import { page } from "./layout.ts";

/**
 * Read-only browser of the emulated businesses, so a demo can show a document "in Sage".
 * Deep links by id (`/ui/sales_invoices/{id}`) work without naming the business.
 */
interface Section {
  kind: Kind;
  title: string;
  columns: [string, (r: Json) => string, boolean?][];
}

const ref = (v: unknown) => (v && typeof v === "object" ? h((v as Json).displayed_as) : "");
const chip = (v: unknown) =>
  v && typeof v === "object" ? `<span class="chip ${h((v as Json).id)}">${h((v as Json).displayed_as)}</span>` : "";

const docColumns: Section["columns"] = [
  ["Number", (r) => h(r.displayed_as)],
  ["Date", (r) => h(r.date)],
  ["Contact", (r) => ref(r.contact)],
  ["Reference", (r) => h(r.reference)],
  ["Total", (r) => `${h(r.total_amount)} ${h((r.currency as Json)?.id)}`, true],
  ["Outstanding", (r) => h(r.outstanding_amount), true],
  ["Status", (r) => chip(r.status)],
];

const SECTIONS: Section[] = [
  {
    kind: "contacts",
    title: "Contacts",
    columns: [
      ["Name", (r) => h(r.name)],
      ["Reference", (r) => h(r.reference)],
      ["Email", (r) => h(r.email)],
      ["Currency", (r) => h((r.currency as Json)?.id)],
    ],
  },
  { kind: "sales_invoices", title: "Sales invoices", columns: docColumns },
  { kind: "sales_credit_notes", title: "Credit notes", columns: docColumns },
  {
    kind: "contact_payments",
    title: "Payments",
    columns: [
      ["Type", (r) => ref(r.transaction_type)],
      ["Date", (r) => h(r.date)],
      ["Contact", (r) => ref(r.contact)],
      ["Bank", (r) => ref(r.bank_account)],
      ["Total", (r) => h(r.total_amount), true],
    ],
  },
  {
    kind: "contact_allocations",
    title: "Allocations",
    columns: [
      ["Date", (r) => h(r.date)],
      ["Contact", (r) => ref(r.contact)],
      ["Artefacts", (r) => ((r.allocated_artefacts as Json[]) ?? []).map((a) => `${ref(a.artefact)} ${h(a.amount)}`).join(", ")],
    ],
  },
  {
    kind: "products",
    title: "Products",
    columns: [
      ["Code", (r) => h(r.item_code)],
      ["Description", (r) => h(r.description)],
      ["Sales ledger", (r) => ref(r.sales_ledger_account)],
    ],
  },
  {
    kind: "services",
    title: "Services",
    columns: [
      ["Code", (r) => h(r.item_code)],
      ["Description", (r) => h(r.description)],
    ],
  },
  {
    kind: "stock_items",
    title: "Stock items",
    columns: [
      ["Code", (r) => h(r.item_code)],
      ["Description", (r) => h(r.description)],
      ["In stock", (r) => h(r.quantity_in_stock), true],
    ],
  },
];

const nav = (businessId: string) => SECTIONS.map((s) => `<a href="/ui/${s.kind}?business=${businessId}">${s.title}</a>`).join("");

async function index(): Promise<Reply> {
  const rows = BUSINESSES.map(
    (b) =>
      `<tr><td><a href="/ui/sales_invoices?business=${b.id}">${h(b.name)}</a></td><td><code>${b.id}</code></td><td>${h(b.tier)}</td></tr>`,
  ).join("");
  return {
    status: 200,
    html: page(
      "Businesses",
      `<div class="card"><h1>Businesses</h1><table><tr><th>Name</th><th>Id (X-Business)</th><th>Subscription</th></tr>${rows}</table></div>`,
    ),
  };
}

async function list(rt: Runtime, section: Section, businessId: string): Promise<Reply> {
  const biz = businessSeed(businessId);
  if (!biz) return { status: 404, html: page("Not found", "<p>Unknown business.</p>") };
  const res = await rt.db.query(
    `SELECT data FROM ${SCHEMA}.records WHERE business_id = $1 AND kind = $2 AND deleted_at IS NULL ORDER BY seq DESC LIMIT 500`,
    [businessId, section.kind],
  );
  const head = section.columns.map(([t, , num]) => `<th${num ? ' class="num"' : ""}>${t}</th>`).join("");
  const body = res.rows
    .map(({ data }) => {
      const cells = section.columns.map(([, f, num], i) => {
        const v = f(data);
        return `<td${num ? ' class="num"' : ""}>${i === 0 ? `<a href="/ui/${section.kind}/${h(data.id)}">${v || "(open)"}</a>` : v}</td>`;
      });
      return `<tr>${cells.join("")}</tr>`;
    })
    .join("");
  const empty = res.rows.length === 0 ? `<p class="muted">Nothing here yet.</p>` : "";
  return {
    status: 200,
    html: page(
      section.title,
      `<div class="card"><h1>${section.title}</h1><p class="muted">${h(biz.name)}</p><table><tr>${head}</tr>${body}</table>${empty}</div>`,
      nav(businessId),
    ),
  };
}

function value(v: unknown): string {
  if (v === null || v === undefined) return '<span class="muted">—</span>';
  if (typeof v === "object" && !Array.isArray(v) && "displayed_as" in (v as Json)) {
    const o = v as Json;
    const [, coll, id] = String(o.$path ?? "").split("/");
    const linkable = SECTIONS.some((s) => s.kind === coll);
    return linkable ? `<a href="/ui/${coll}/${h(id)}">${h(o.displayed_as)}</a>` : h(o.displayed_as);
  }
  if (typeof v === "object") return `<code>${h(JSON.stringify(v))}</code>`;
  return h(v);
}

/** The facts a demo points at, in reading order; everything else sits under "All fields". */
const SUMMARY = [
  "contact",
  "name",
  "reference",
  "email",
  "date",
  "due_date",
  "transaction_type",
  "currency",
  "exchange_rate",
  "net_amount",
  "shipping_total_amount",
  "tax_amount",
  "total_amount",
  "outstanding_amount",
  "base_currency_total_amount",
  "bank_account",
  "payment_method",
  "payment_on_account",
  "item_code",
  "description",
  "quantity_in_stock",
  "balance",
  "id",
];

async function detail(rt: Runtime, section: Section, id: string): Promise<Reply> {
  const found = await findById(rt.db, section.kind, id);
  if (!found)
    return {
      status: 404,
      html: page("Not found", `<div class="card"><h1>Not found</h1><p>No ${h(section.title.toLowerCase())} with id ${h(id)}.</p></div>`),
    };
  const r = found.data;
  const lines = (r.invoice_lines ?? r.credit_note_lines) as Json[] | undefined;
  const skip = new Set(["invoice_lines", "credit_note_lines", "payments_allocations", "_input", "$path", "allocated_artefacts"]);
  const row = ([k, v]: [string, unknown]) => `<dt>${h(k)}</dt><dd>${value(v)}</dd>`;
  const summary = SUMMARY.filter((k) => k in r)
    .map((k) => row([k, r[k]]))
    .join("");
  const fields = Object.entries(r)
    .filter(([k]) => !skip.has(k))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(row)
    .join("");
  const lineTable = lines
    ? `<div class="card"><h2>Lines</h2><table><tr><th>Description</th><th class="num">Qty</th><th class="num">Unit price</th><th class="num">Net</th><th>Tax rate</th><th class="num">Tax</th><th class="num">Total</th></tr>${lines
        .map(
          (l) =>
            `<tr><td>${h(l.description)}</td><td class="num">${h(l.quantity)}</td><td class="num">${h(l.unit_price)}</td><td class="num">${h(l.net_amount)}</td><td>${ref(l.tax_rate)}</td><td class="num">${h(l.tax_amount)}</td><td class="num">${h(l.total_amount)}</td></tr>`,
        )
        .join("")}</table></div>`
    : "";
  const links = ((r.payments_allocations ?? r.allocated_artefacts) as Json[] | undefined) ?? [];
  const linkTable = links.length
    ? `<div class="card"><h2>Payments and allocations</h2><table>${links
        .map(
          (a) =>
            `<tr><td>${value(a.transaction_type ?? a.artefact)}</td><td>${h(a.date ?? "")}</td><td class="num">${h(a.amount)}</td><td>${a.$path ? `<a href="/ui${h(a.$path)}">open</a>` : ""}</td></tr>`,
        )
        .join("")}</table></div>`
    : "";
  const title = `${section.title.replace(/s$/, "")} ${String(r.displayed_as)}`;
  return {
    status: 200,
    html: page(
      title,
      `<div class="card"><h1>${h(title)} ${chip(r.status)}</h1><dl>${summary}</dl></div>${lineTable}${linkTable}` +
        accountantCard(section.kind, r) +
        `<div class="card"><details><summary>All fields (as the API returns them)</summary><dl>${fields}</dl></details></div>`,
      nav(found.businessId),
    ),
  };
}

export async function handleUi(rt: Runtime, req: Req): Promise<Reply> {
  const segs = req.url.pathname.split("/").filter(Boolean);
  if (segs.length === 1) return index();
  const section = SECTIONS.find((s) => s.kind === segs[1]);
  if (!section) return { status: 404, html: page("Not found", "<p>Unknown page.</p>") };
  if (segs.length === 4 && req.method === "POST" && ACCOUNTANT_KINDS.has(section.kind)) {
    return handleAccountantForm(rt, req, section.kind, segs[2], segs[3]);
  }
  if (segs.length === 2) return list(rt, section, req.url.searchParams.get("business") ?? BUSINESSES[0].id);
  return detail(rt, section, segs[2]);
}
