import { changeDocument, duplicateDocument } from "../accountant.ts";
import { SageError, escapeHtml as h, type Reply, type Req } from "../http.ts";
import type { Runtime } from "../runtime.ts";
import type { Json } from "../store.ts";
import { page } from "./layout.ts";

/**
 * The accountant's forms on an invoice or credit note page: edit a line, void, delete, or key in a
 * duplicate with a chosen reference. They post back to `/ui/{kind}/{id}/{action}` and use the same
 * code as the admin API (`accountant.ts`), so a demo can change Sage by hand in front of people.
 */

export const ACCOUNTANT_KINDS = new Set(["sales_invoices", "sales_credit_notes"]);

export function accountantCard(kind: string, r: Json): string {
  if (!ACCOUNTANT_KINDS.has(kind) || r.deleted_at) return "";
  const lines = ((r.invoice_lines ?? r.credit_note_lines) as Json[] | undefined) ?? [];
  const base = `/ui/${kind}/${h(r.id)}`;
  const options = lines.map((l, i) => `<option value="${i}">${i + 1}. ${h(l.description)}</option>`).join("");
  const voided = (r.status as Json | undefined)?.id === "VOID";
  return `<div class="card"><h2>Act as the accountant</h2>
  <form method="post" action="${base}/edit" class="row">
    <label>Line <select name="index">${options}</select></label>
    <label>Quantity <input name="quantity" inputmode="decimal" size="6"></label>
    <label>Unit price <input name="unit_price" inputmode="decimal" size="8"></label>
    <label>Reference <input name="reference" size="14" value="${h(r.reference ?? "")}"></label>
    <button type="submit">Save edit</button>
  </form>
  ${
    voided
      ? ""
      : `<form method="post" action="${base}/void" class="row"><label>Void reason <input name="void_reason" required size="30"></label><button type="submit">Void</button></form>`
  }
  <form method="post" action="${base}/duplicate" class="row"><label>New reference <input name="reference" size="14" value="${h(r.reference ?? "")}"></label><button type="submit">Create a copy by hand</button></form>
  <form method="post" action="${base}/delete" class="row"><button type="submit">Delete</button></form>
</div>`;
}

const opt = (v: string | null) => (v === null || v.trim() === "" ? undefined : v.trim());

/** POST /ui/{kind}/{id}/{edit|void|delete|duplicate} from the card above. */
export async function handleAccountantForm(rt: Runtime, req: Req, kind: string, id: string, action: string): Promise<Reply> {
  const f = new URLSearchParams(req.body);
  try {
    if (action === "edit") {
      const quantity = opt(f.get("quantity"));
      const unitPrice = opt(f.get("unit_price"));
      const line = quantity || unitPrice ? [{ index: Number(f.get("index") ?? 0), quantity, unit_price: unitPrice }] : [];
      await changeDocument(rt, kind, id, "edit", { lines: line, reference: opt(f.get("reference")) });
    } else if (action === "void") {
      await changeDocument(rt, kind, id, "void", { void_reason: f.get("void_reason") ?? "" });
    } else if (action === "delete") {
      await changeDocument(rt, kind, id, "delete", {});
      return { status: 303, location: `/ui/${kind}` };
    } else if (action === "duplicate") {
      const copy = await duplicateDocument(rt, kind, id, { reference: opt(f.get("reference")) });
      return { status: 303, location: `/ui/${kind}/${String(copy.id)}` };
    } else return { status: 404, html: page("Not found", "<p>Unknown action.</p>") };
    return { status: 303, location: `/ui/${kind}/${id}` };
  } catch (err) {
    const message = err instanceof SageError ? err.items.map((i) => i.$message).join("; ") : String(err);
    return { status: 422, html: page("Not saved", `<div class="card"><h1>Not saved</h1><p>${h(message)}</p></div>`) };
  }
}
