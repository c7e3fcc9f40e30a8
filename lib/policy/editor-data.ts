import { childLog } from "@/lib/log";
import { magentoClientForConnection } from "@/lib/magento/client-for";
import type { PaymentMethod } from "@/lib/magento/canonical";
import { getReferenceData, type ReferenceData } from "@/lib/sage/reference-data";

/**
 * What the settings editor offers and what a save is checked against: the binding's Sage reference
 * cache (refreshed first when older than 24 h) and Magento's live payment methods. Either may be
 * unavailable; the editor then says so and the validator skips what it cannot check.
 */

const log = childLog({ component: "policy.editor-data" });

export interface EditorData {
  reference: ReferenceData | null;
  /** Why there is no reference data (Sage not connected, Sage unreachable with no cache). */
  referenceProblem: string | null;
  paymentMethods: PaymentMethod[] | null;
  /** Why the live payment methods could not be read (codes are then typed by hand). */
  paymentMethodsProblem: string | null;
}

export interface EditorBinding {
  id: string;
  magentoConnectionId: string;
  sageConnectionId: string | null;
}

export async function loadReference(binding: EditorBinding): Promise<Pick<EditorData, "reference" | "referenceProblem">> {
  if (!binding.sageConnectionId) return { reference: null, referenceProblem: "Sage is not connected to this binding yet." };
  try {
    return { reference: await getReferenceData(binding.id), referenceProblem: null };
  } catch (e) {
    log.warn({ bindingId: binding.id, err: e }, "reference data unavailable");
    return {
      reference: null,
      referenceProblem: "Ledger could not read your Sage accounts and tax rates just now. Try Refresh in a minute.",
    };
  }
}

export async function loadPaymentMethods(binding: EditorBinding): Promise<Pick<EditorData, "paymentMethods" | "paymentMethodsProblem">> {
  try {
    // Interactive: no retry, the editor falls back to typed codes rather than making the merchant wait.
    const client = await magentoClientForConnection(binding.magentoConnectionId);
    return { paymentMethods: await client.paymentMethods(), paymentMethodsProblem: null };
  } catch (e) {
    log.info({ bindingId: binding.id, err: e instanceof Error ? e.message : String(e) }, "magento payment methods unavailable");
    return {
      paymentMethods: null,
      paymentMethodsProblem:
        "Your Magento store did not answer, so its payment methods could not be listed. Type the method codes (e.g. checkmo, stripe_payments) instead.",
    };
  }
}

export async function loadEditorData(binding: EditorBinding): Promise<EditorData> {
  const [reference, methods] = await Promise.all([loadReference(binding), loadPaymentMethods(binding)]);
  return { ...reference, ...methods };
}
