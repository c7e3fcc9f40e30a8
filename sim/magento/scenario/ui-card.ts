import { esc } from "../admin/html.ts";
import { backgroundProgress, formatChips } from "./runner.ts";

/** The dashboard card of the admin UI's "Play a day" button, with the running play's read-out. */
export function playDayCard(): string {
  const p = backgroundProgress();
  const running = p !== null && (p.phase === "running" || p.phase === "settling");
  const button = running
    ? `<button class="btn" disabled>Playing…</button>`
    : `<form class="inline" method="post" action="/admin/actions/play-day"><button class="btn">Play a day</button></form>
       <form class="inline" method="post" action="/admin/actions/play-day?fast=1"><button class="btn btn--ghost">Play a day (fast)</button></form>`;
  const status = p
    ? `<p><b>${esc(p.phase === "done" ? "Done" : p.phase === "failed" ? "Stopped" : `${p.beat}/${p.total} · ${p.clock} ${p.title}`)}</b>
       ${p.expect && running ? `<br><span class="muted">expect ${esc(p.expect)}</span>` : ""}</p>
       <p>${esc(formatChips(p.chips))}</p>${p.error ? `<p class="flash flash--error">${esc(p.error)}</p>` : ""}
       <details${running ? " open" : ""}><summary>Log</summary><pre>${esc(p.log.join("\n"))}</pre></details>`
    : `<p class="muted">B2B and guest orders in GBP, EUR and USD, EU and US customers, discounts and shipping, a free sample,
       a pre-cut-over invoice, an unmapped payment method, a contact reference Sage refuses, a burst into Sage's
       rate limit, refunds and payments — paced so the chips can be watched going from Pending to Synced.</p>`;
  // While a play runs the card reloads the page; the grids refresh themselves already.
  const reload = running ? `<script>setTimeout(function(){location.reload()},2500)</script>` : "";
  return `<div class="card"><h2>Scenario: a day at the shop</h2>${status}${button}${reload}</div>`;
}
