import type { Address, Contact } from "@/lib/magento/canonical";
import { consolidationTarget } from "@/lib/policy/b2c";
import type { Policy } from "@/lib/policy/schema";
import type { SageClient } from "@/lib/sage";
import { contactPayload, contactReference, customerXrefKey, fallbackContactPayload } from "@/lib/translate/contact";
import { findXref, findXrefVariants, idempotencyKey, saveXref, type XrefScope } from "./xref";

/**
 * The Sage contact a document goes on: the customer's own contact in the document's currency, or the
 * binding's B2C fallback contact for that currency (product-spec §1.11). Each is looked up in the xref
 * first, then adopted by reference if Sage already has it, and only then created — with an
 * idempotency_id derived from the same key, so concurrent runs for one customer create one contact.
 */

export interface ResolvedContact {
  contactId: string;
  reference: string | null;
  consolidated: boolean;
}

interface Ctx {
  scope: XrefScope;
  sage: SageClient;
  policy: Policy;
  baseCurrency: string;
}

async function adoptOrCreate(
  ctx: Ctx,
  xrefType: "contact" | "contact_fallback",
  magentoKey: string,
  currency: string,
  payload: Parameters<SageClient["createContact"]>[0],
): Promise<ResolvedContact> {
  const existing = payload.reference ? await ctx.sage.findContactsByReference(payload.reference) : [];
  const adopted = existing.find((c) => !c.currency?.id || c.currency.id === currency);
  const contact =
    adopted ?? (await ctx.sage.createContact(payload, { idempotencyKey: idempotencyKey(ctx.scope, xrefType, magentoKey, currency) }));
  const reference = (contact as { reference?: string | null }).reference ?? payload.reference ?? null;
  await saveXref(
    ctx.scope,
    xrefType,
    magentoKey,
    { sageId: contact.id, sageReference: reference, data: { displayedAs: contact.displayed_as } },
    currency,
  );
  return { contactId: contact.id, reference, consolidated: xrefType === "contact_fallback" };
}

export async function resolveDocumentContact(
  ctx: Ctx,
  doc: { customer: Contact; currency: string; grandTotal: number; billing?: Address; shipping?: Address; consolidate: boolean },
): Promise<ResolvedContact> {
  const currency = doc.currency.toUpperCase();
  const key = customerXrefKey(doc.customer);
  const own = await findXref(ctx.scope, "contact", key, currency);
  if (own) return { contactId: own.sageId, reference: own.sageReference, consolidated: false };

  if (doc.consolidate && consolidationTarget(doc.customer, doc.grandTotal, false, ctx.policy.b2c_consolidation) === "fallback") {
    const fb = await findXref(ctx.scope, "contact_fallback", "b2c_fallback", currency);
    if (fb) return { contactId: fb.sageId, reference: fb.sageReference, consolidated: true };
    return adoptOrCreate(
      ctx,
      "contact_fallback",
      "b2c_fallback",
      currency,
      fallbackContactPayload(ctx.policy.b2c_consolidation, currency, ctx.baseCurrency),
    );
  }
  const payload = contactPayload(doc.customer, {
    currency,
    baseCurrency: ctx.baseCurrency,
    policy: ctx.policy,
    billing: doc.billing,
    shipping: doc.shipping,
  });
  return adoptOrCreate(ctx, "contact", key, currency, payload);
}

export interface UpsertedContact extends ResolvedContact {
  updated: boolean;
  /** every currency variant Ledger holds for the customer, each refreshed (D12), base currency first */
  variants: { currency: string; contactId: string; action: "created" | "updated" }[];
}

/**
 * customer.upserted: refresh every currency variant of the customer's Sage contact that Ledger
 * created (decisions D12: a phone change reaches the EUR contact too), and create the base-currency
 * one when there is none yet. A contact's currency never changes; only name, addresses and contact
 * person are sent.
 */
export async function upsertCustomerContact(ctx: Ctx, customer: Contact): Promise<UpsertedContact> {
  const base = ctx.baseCurrency.toUpperCase();
  const key = customerXrefKey(customer);
  const known = await findXrefVariants(ctx.scope, "contact", key);
  const variants: UpsertedContact["variants"] = [];
  for (const v of known) {
    const { name, main_address, delivery_address, main_contact_person } = contactPayload(customer, {
      currency: v.currency,
      baseCurrency: ctx.baseCurrency,
      policy: ctx.policy,
    });
    await ctx.sage.updateContact(v.sageId, { name, main_address, delivery_address, main_contact_person });
    variants.push({ currency: v.currency, contactId: v.sageId, action: "updated" });
  }
  const own = known.find((v) => v.currency === base);
  let resolved: ResolvedContact;
  if (own) {
    resolved = {
      contactId: own.sageId,
      reference: own.sageReference ?? contactReference(customer, base, ctx.baseCurrency),
      consolidated: false,
    };
  } else {
    resolved = await adoptOrCreate(
      ctx,
      "contact",
      key,
      base,
      contactPayload(customer, { currency: base, baseCurrency: ctx.baseCurrency, policy: ctx.policy }),
    );
    variants.push({ currency: base, contactId: resolved.contactId, action: "created" });
  }
  variants.sort((a, b) => Number(b.currency === base) - Number(a.currency === base));
  return { ...resolved, updated: Boolean(own), variants };
}
