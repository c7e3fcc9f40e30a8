import type pg from "pg";
import { getRun, listApps, listRuns } from "./read-api.ts";

/** A small read-only runs page: recent runs with status, steps and errors, and the synced apps. */

function esc(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value, null, 1) ?? "");
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:1.5rem;color:#1f2328}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
.Completed{color:#1a7f37}.Failed{color:#cf222e}.Cancelled{color:#9a6700}.Running,.Queued{color:#0969da}
pre{margin:0;white-space:pre-wrap;max-width:60rem;font-size:12px}code{font-size:12px}`;

export async function renderRunsPage(pool: pg.Pool, status: string | undefined): Promise<string> {
  const [runs, apps] = await Promise.all([listRuns(pool, { limit: 100, status }), listApps(pool)]);
  const details = await Promise.all(runs.map((r) => getRun(pool, r.run_id)));
  const appRows = apps
    .map(
      (a) => `<tr><td>${esc(a.app_id)}</td><td><code>${esc(a.url)}</code></td><td>${a.functions.length}</td>
      <td>${a.refused.map((r) => `<div class="Failed">${esc(r.id)}: ${esc(r.reasons.join("; "))}</div>`).join("")}</td><td>${esc(a.synced_at)}</td></tr>`,
    )
    .join("");
  const runRows = details
    .filter((d) => d !== null)
    .map((d) => {
      const steps = d.steps
        .map((s) => `<div><code>${esc(s.name ?? s.id.slice(0, 8))}</code> ${esc(s.op)} <pre>${esc(s.result)}</pre></div>`)
        .join("");
      return `<tr><td><code>${esc(d.run_id)}</code></td><td>${esc(d.function_id)}</td><td class="${esc(d.status)}">${esc(d.status)}</td>
        <td>${esc(d.created_at)}</td><td>${esc(d.ended_at ?? "")}</td>
        <td><details><summary>${d.steps.length} step(s)${d.pending.length ? `, waiting on ${d.pending.map((p) => esc(`${p.op} ${p.name ?? ""}`)).join(", ")}` : ""}</summary>${steps}</details></td>
        <td><pre>${d.error ? esc(d.error) : d.output !== null ? esc(d.output) : ""}</pre></td></tr>`;
    })
    .join("");
  return `<!doctype html><html><head><meta charset="utf-8"><title>inngest-local runs</title><style>${STYLE}</style></head><body>
<h1>inngest-local</h1>
<h2>Apps</h2><table><tr><th>App</th><th>URL</th><th>Functions</th><th>Refused</th><th>Synced</th></tr>${appRows}</table>
<h2>Recent runs${status ? ` (${esc(status)})` : ""}</h2>
<p><a href="/">all</a> · <a href="/?status=Running">running</a> · <a href="/?status=Failed">failed</a> · <a href="/?status=Completed">completed</a></p>
<table><tr><th>Run</th><th>Function</th><th>Status</th><th>Created</th><th>Ended</th><th>Steps</th><th>Output / error</th></tr>${runRows}</table>
</body></html>`;
}
