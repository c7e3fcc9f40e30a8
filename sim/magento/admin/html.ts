import { chipTooltip, type MirrorRow } from "../module/mirror.ts";
import type { TileData } from "../module/health-tile.ts";

/** Server-rendered building blocks of the admin UI: escaping, layout, the Sage Status chip, the tile. */

export function esc(v: unknown): string {
  return String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

export type ChipStatus = "synced" | "pending" | "skipped" | "failed" | "none";

const CHIP_LABEL: Record<ChipStatus, string> = {
  synced: "✓ Synced",
  pending: "⏳ Pending",
  skipped: "⏸ Skipped",
  failed: "✗ Failed",
  none: "—",
};

export function chipStatus(row: MirrorRow | null | undefined): ChipStatus {
  const s = row?.sync_status;
  return s === "synced" || s === "pending" || s === "skipped" || s === "failed" ? s : "none";
}

/** The grid chip; the tooltip follows the module's priority (reference → id → skip → error). */
export function chip(row: MirrorRow | null | undefined): string {
  const status = chipStatus(row);
  const tip =
    status === "none"
      ? "No sync attempted"
      : chipTooltip(row ?? null) || (status === "pending" && row ? `Pending since ${row.last_sync_at} UTC` : "");
  const title = tip ? ` title="${esc(tip)}"` : "";
  return `<span class="chip chip--${status}"${title}>${esc(CHIP_LABEL[status])}</span>`;
}

export function money(amount: number, currency: string | null): string {
  return `${esc(currency ?? "")} ${amount.toFixed(2)}`;
}

export function tile(t: TileData): string {
  const stats =
    t.state === "disconnected" || t.state === "unknown"
      ? ""
      : `<dl class="tile__stats"><div><dt>Last sync</dt><dd>${esc(t.last_run_relative)}</dd></div>
         <div><dt>Pending</dt><dd>${esc(t.pending ?? "—")}</dd></div>
         <div><dt>Errors 24h</dt><dd>${esc(t.failed_24h ?? "—")}</dd></div></dl>`;
  return `<a class="tile tile--${t.colour}" href="${t.click === "config" ? "/admin/connection" : "/admin/outbox"}">
    <div class="tile__title"><span class="dot dot--${t.colour}"></span>Sage Accounting</div>
    <div class="tile__headline">${esc(t.headline)}</div>${stats}</a>`;
}

const NAV = [
  ["/admin", "Dashboard"],
  ["/admin/invoices", "Invoices"],
  ["/admin/creditmemos", "Credit Memos"],
  ["/admin/customers", "Customers"],
  ["/admin/products", "Products"],
  ["/admin/outbox", "Byte8 Outbox"],
  ["/admin/connection", "Byte8 Connection"],
];

export interface PageOptions {
  title: string;
  active: string;
  body: string;
  deadLettered: number;
  storeKey: string;
  flash?: string | null;
  flashKind?: "ok" | "error";
}

export function page(o: PageOptions): string {
  const nav = NAV.map(([href, label]) => `<a href="${href}" class="${o.active === href ? "active" : ""}">${esc(label)}</a>`).join("");
  const banner =
    o.deadLettered > 0
      ? `<div class="banner"><span>⚠ ${o.deadLettered} event${o.deadLettered === 1 ? "" : "s"} need${o.deadLettered === 1 ? "s" : ""} attention</span>
         <form method="post" action="/admin/actions/requeue-all"><button class="btn btn--small">Requeue all</button></form>
         <a href="/admin/outbox?status=dead_lettered">Inspect</a></div>`
      : "";
  const flash = o.flash ? `<div class="flash flash--${o.flashKind ?? "ok"}">${esc(o.flash)}</div>` : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(o.title)} · Magento Admin (sim)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${CSS}</style></head>
<body><aside class="side"><div class="brand">Magento<small>Admin · ${esc(o.storeKey)}</small></div>${nav}</aside>
<main><header><h1>${esc(o.title)}</h1></header>${banner}${flash}${o.body}</main><script>${JS}</script></body></html>`;
}

const CSS = `
:root{--bg:#f5f6f8;--card:#fff;--line:#e3e6ea;--text:#1f2328;--muted:#6b7280;--accent:#eb5202;
--green:#1e7e34;--green-bg:#e6f4ea;--blue:#1a56db;--blue-bg:#e7f0fd;--amber:#b45309;--amber-bg:#fff4e0;--red:#b91c1c;--red-bg:#fde8e8;--grey:#6b7280;--grey-bg:#f1f3f5}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--text);background:var(--bg);display:flex;min-height:100vh}
.side{width:210px;background:#373330;color:#d6d2cf;padding:16px 0;flex-shrink:0}.side a{display:block;padding:9px 20px;color:#d6d2cf;text-decoration:none}
.side a:hover{background:#4a4542}.side a.active{background:#514943;color:#fff;border-left:3px solid var(--accent);padding-left:17px}
.brand{color:#fff;font-weight:700;font-size:18px;padding:0 20px 16px}.brand small{display:block;font-weight:400;font-size:12px;color:#a8a29e}
main{flex:1;padding:20px 28px;max-width:1280px}h1{font-size:22px;font-weight:600;margin:0 0 16px}h2{font-size:16px;margin:0 0 12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:16px;margin-bottom:16px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
table{width:100%;border-collapse:collapse;background:var(--card)}th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.02em;background:#fafbfc}th a{color:inherit;text-decoration:none}
td.num,th.num{text-align:right}tr:hover td{background:#fafafa}
.chip{display:inline-block;padding:2px 9px;border-radius:999px;font-size:12px;font-weight:600;white-space:nowrap;cursor:default}
.chip--synced{background:var(--green-bg);color:var(--green)}.chip--pending{background:var(--blue-bg);color:var(--blue)}
.chip--skipped{background:var(--amber-bg);color:var(--amber)}.chip--failed{background:var(--red-bg);color:var(--red)}.chip--none{background:var(--grey-bg);color:var(--grey)}
.filters{display:flex;gap:6px;margin-bottom:10px;flex-wrap:wrap}.filters a{padding:4px 10px;border:1px solid var(--line);border-radius:999px;text-decoration:none;color:var(--text);background:#fff;font-size:13px}
.filters a.on{border-color:var(--accent);color:var(--accent)}
.banner{display:flex;gap:12px;align-items:center;background:var(--red-bg);color:var(--red);border:1px solid #f5c2c2;border-radius:6px;padding:10px 14px;margin-bottom:16px;font-weight:600}
.banner form{margin:0}.banner a{color:var(--red)}
.flash{padding:10px 14px;border-radius:6px;margin-bottom:16px}.flash--ok{background:var(--green-bg);color:var(--green)}.flash--error{background:var(--red-bg);color:var(--red)}
.btn{background:var(--accent);color:#fff;border:0;border-radius:4px;padding:7px 14px;font-weight:600;cursor:pointer;font-size:13px}.btn--ghost{background:#fff;color:var(--text);border:1px solid var(--line)}
.btn--small{padding:3px 9px;font-size:12px}form.inline{display:inline}
label{display:block;font-size:12px;color:var(--muted);margin-bottom:8px}input,select,textarea{display:block;width:100%;padding:6px 8px;border:1px solid #c9ced4;border-radius:4px;font:inherit;margin-top:2px}
.row{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.tile{display:block;text-decoration:none;color:inherit;border-radius:8px;padding:16px;border:1px solid var(--line);border-left-width:6px;background:#fff;max-width:520px}
.tile--green{border-left-color:var(--green)}.tile--amber{border-left-color:var(--amber)}.tile--red{border-left-color:var(--red)}.tile--grey{border-left-color:var(--grey)}
.tile__title{font-size:12px;text-transform:uppercase;color:var(--muted);display:flex;align-items:center;gap:6px}.tile__headline{font-size:18px;font-weight:600;margin:6px 0}
.tile__stats{display:flex;gap:24px;margin:0}.tile__stats dt{font-size:11px;color:var(--muted)}.tile__stats dd{margin:0;font-weight:600}
.dot{width:9px;height:9px;border-radius:50%;display:inline-block}.dot--green{background:var(--green)}.dot--amber{background:var(--amber)}.dot--red{background:var(--red)}.dot--grey{background:var(--grey)}
.code{font:600 22px ui-monospace,monospace;background:#111;color:#7ee787;padding:12px 16px;border-radius:6px;letter-spacing:.05em;user-select:all}
.muted{color:var(--muted)}code{font-size:12px}details summary{cursor:pointer;font-weight:600;margin-bottom:10px}
.info th{width:180px;text-transform:none;font-size:13px;background:none}pre{white-space:pre-wrap;word-break:break-all;font-size:12px;margin:0}
`;

/** Auto-refresh of grids without moving the scroll position: swap the tbody every few seconds. */
const JS = `
document.querySelectorAll('tbody[data-refresh]').forEach(function(tb){
  setInterval(function(){
    var u=new URL(location.href);u.searchParams.set('fragment','1');
    fetch(u,{headers:{'Accept':'text/html'}}).then(function(r){return r.ok?r.text():null}).then(function(h){if(h!==null&&h!==tb.innerHTML)tb.innerHTML=h});
  }, Number(tb.dataset.refresh)||4000);
});
`;
