import { escapeHtml } from "../http.ts";

/** One page shell for the consent screen and the business browser; plain HTML, no scripts. */
const CSS = `
:root { --ink:#1d2433; --muted:#5b6478; --line:#e3e6ee; --brand:#00815d; --bg:#f6f7fa; --bad:#b42318; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:var(--bg); }
header { background:#fff; border-bottom:1px solid var(--line); padding:12px 24px; display:flex; gap:24px; align-items:center; }
header .brand { font-weight:700; color:var(--brand); text-decoration:none; }
header nav a { color:var(--muted); text-decoration:none; margin-right:16px; }
header nav a:hover { color:var(--ink); }
main { max-width:1100px; margin:24px auto; padding:0 24px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:20px; margin-bottom:20px; }
table { width:100%; border-collapse:collapse; }
th, td { text-align:left; padding:8px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:600; font-size:13px; }
td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
dl { display:grid; grid-template-columns: 240px 1fr; gap:6px 16px; margin:0; }
dt { color:var(--muted); }
dd { margin:0; }
.chip { display:inline-block; padding:2px 10px; border-radius:999px; font-size:12px; background:#eef1f6; }
.chip.PAID { background:#dcfae6; color:#067647; } .chip.PART_PAID { background:#fef0c7; color:#93370d; }
.chip.UNPAID { background:#fee4e2; color:var(--bad); }
.error { color:var(--bad); }
fieldset { border:1px solid var(--line); border-radius:8px; margin:16px 0; padding:12px 16px; }
label.choice { display:block; padding:6px 0; }
button { background:var(--brand); color:#fff; border:0; border-radius:6px; padding:8px 18px; font-size:15px; cursor:pointer; }
button.secondary { background:#fff; color:var(--ink); border:1px solid var(--line); }
form.row { display:flex; gap:10px; align-items:end; flex-wrap:wrap; margin:8px 0; } form.row label { display:flex; flex-direction:column; font-size:13px; gap:2px; }
a { color:var(--brand); }
.muted { color:var(--muted); }
`;

export function page(title: string, body: string, nav = ""): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Sage Accounting (emulator)</title><style>${CSS}</style></head>
<body><header><a class="brand" href="/ui">Sage Accounting <span class="muted">emulator</span></a><nav>${nav}</nav></header>
<main>${body}</main></body></html>`;
}
