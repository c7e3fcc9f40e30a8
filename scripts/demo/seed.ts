import { registerUser } from "@/lib/auth/sign-up";
import { db } from "@/lib/db";
import { connectMagento } from "@/lib/bindings/connect-magento";
import { changeWorkspacePlan } from "@/lib/plans";
import { savePolicy } from "@/lib/policy/save";
import { currentPolicy } from "@/lib/policy/store";
import type { PolicyInput } from "@/lib/policy/schema";
import { TIER_ORDER } from "@/lib/policy/tiers";
import { chooseSageBusiness } from "@/lib/bindings/sage-business";
import { completeSageConnect, startSageConnect } from "@/lib/bindings/connect-sage";
import { getReferenceData } from "@/lib/sage/reference-data";
import { magentoAdmin } from "@/sim/magento/scenario/clients";
import { DEMO_FALLBACK_REFERENCE, DEMO_SYNC_SINCE } from "@/sim/magento/scenario/day";
import { authorizeInEmulator } from "./sage-consent";
import { DEMO_USER } from "./user";

/**
 * The demo workspace, made through the product's own flows so the demo shows what a merchant gets:
 * sign-up (`registerUser`), Connect Magento with a pairing code the simulator issues
 * (`connectMagento` → the real `POST /rest/V1/byte8/setup/pair`), Connect Sage through the
 * emulator's OAuth consent (`startSageConnect` → consent form → `completeSageConnect` → business
 * choice), and the
 * settings saved as a policy version (`savePolicy`, validated against Sage's reference data).
 * Every step first checks the real state and does nothing when it is already done.
 *
 * Must be imported after the stack's environment is in `process.env` (lib/ reads it lazily).
 */

export { DEMO_USER };

/** The demo workspace's plan: the top one, so no setting is gated during a demo. */
export const TOP_PLAN = TIER_ORDER[TIER_ORDER.length - 1];

/** The emulator's seeded "Ledger Demo Ltd" (Accounting Plus, GB, GBP). */
export const DEMO_BUSINESS_ID = "4d1c2a6b8f3e4a0c9b7d5e1f2a3b4c5d";

export interface SeedContext {
  ledgerUrl: string;
  magentoUrl: string;
  sageUrl: string;
  say(line: string): void;
}

export interface SeedResult {
  userId: string;
  tenantId: string;
  bindingId: string;
  /** true when the tenant has no sync history yet (the demo then plays the day once) */
  freshHistory: boolean;
}

async function ensureUser(ctx: SeedContext): Promise<{ userId: string; tenantId: string }> {
  const existing = await db().user.findUnique({
    where: { email: DEMO_USER.email },
    include: { memberships: { orderBy: { createdAt: "asc" } } },
  });
  if (existing?.memberships[0]) return { userId: existing.id, tenantId: existing.memberships[0].tenantId };
  if (existing) throw new Error(`${DEMO_USER.email} exists but belongs to no workspace: reset the demo data (docs/demo.md)`);
  const created = await registerUser({ ...DEMO_USER });
  ctx.say(`created the demo user ${DEMO_USER.email} and workspace "${DEMO_USER.workspace}"`);
  return created;
}

/** Orders from before the connector was installed: no events, so their chips stay "—". */
async function preInstallHistory(ctx: SeedContext): Promise<void> {
  const magento = magentoAdmin(ctx.magentoUrl);
  const existing = await fetch(`${ctx.magentoUrl}/admin/api/invoices`).then((r) => r.json() as Promise<unknown[]>);
  if (existing.length > 0) return;
  const products = new Set((await magento.products()).map((p) => p.sku));
  if (!products.has("LEGACY-MAP"))
    await magento.createProduct({
      sku: "LEGACY-MAP",
      name: "Framed County Map",
      type_id: "simple",
      price: 45,
      tax_class_id: 2,
      stock_qty: 20,
    });
  for (const [i, who] of [
    ["Grace", "Hopper"],
    ["Alan", "Turing"],
    ["Ada", "Lovelace"],
  ].entries()) {
    await magento.createOrder({
      guest: { email: `${who[0].toLowerCase()}@before-ledger.example`, firstname: who[0], lastname: who[1] },
      country: "GB",
      lines: [{ sku: "LEGACY-MAP", qty: 1 + i }],
      payment_method: "checkmo",
      invoice_state: "paid",
    });
  }
  ctx.say("the store has 3 invoices from before Ledger was installed (chip —)");
}

async function ensurePaired(ctx: SeedContext, tenantId: string, userId: string): Promise<string> {
  const magento = magentoAdmin(ctx.magentoUrl);
  const simState = await magento.state();
  const connection = await db().magentoConnection.findFirst({ where: { tenantId, baseUrl: ctx.magentoUrl, status: "active" } });
  const binding = connection
    ? await db().binding.findFirst({
        where: { magentoConnectionId: connection.id, status: { not: "revoked" } },
        orderBy: { createdAt: "desc" },
      })
    : null;
  const agree =
    simState.provider_connected &&
    connection &&
    simState.tenant_id === connection.id &&
    simState.base_url?.replace(/\/+$/, "") === ctx.ledgerUrl;
  if (agree && binding) return binding.id;

  await preInstallHistory(ctx);
  const { code } = await magento.pairingCode();
  const paired = await connectMagento(
    { tenantId, userId, magentoBaseUrl: ctx.magentoUrl, pairingCode: code },
    { allowPrivate: true, requireHttps: false, ledgerBaseUrl: ctx.ledgerUrl },
  );
  if (!paired.ok) throw new Error(`pairing the simulated store failed (${paired.reason}): ${paired.message}`);
  ctx.say(`paired the simulated store ${ctx.magentoUrl} with a pairing code (${paired.repaired ? "re-paired" : "new connection"})`);
  return paired.bindingId;
}

async function ensureSageConnected(ctx: SeedContext, tenantId: string, userId: string, bindingId: string): Promise<void> {
  const binding = await db().binding.findUniqueOrThrow({ where: { id: bindingId }, include: { sageConnection: true } });
  if (binding.status === "active" && binding.sageConnection?.status === "active") return;
  const { authorizeUrl } = await startSageConnect({ tenantId, userId, bindingId });
  const callback = await authorizeInEmulator(authorizeUrl, DEMO_BUSINESS_ID);
  const outcome = await completeSageConnect({ state: callback.state, code: callback.code, error: callback.error, userId });
  // The emulator's Sage user has two businesses, so Ledger asks which one — as it would a merchant.
  if (outcome.kind === "select_business") {
    await chooseSageBusiness({ selectionId: outcome.selectionId, businessId: DEMO_BUSINESS_ID, userId, tenantId });
  }
  ctx.say(`connected Sage business "Ledger Demo Ltd" through the emulator's OAuth consent`);
}

/** The demo shows everything Ledger can do: the workspace is on the top plan (audited like any change). */
async function ensureTopPlan(ctx: SeedContext, tenantId: string): Promise<void> {
  const r = await changeWorkspacePlan({ workspace: tenantId, tier: TOP_PLAN, actor: { via: "demo-seed" } });
  if (r.changed) ctx.say(`put the demo workspace on the ${r.to} plan`);
}

/** Sensible settings for a UK shop (docs/demo.md lists them). */
async function ensureSettings(ctx: SeedContext, tenantId: string, userId: string, bindingId: string): Promise<void> {
  const saved = await db().syncPolicy.count({ where: { bindingId, savedById: { not: null } } });
  if (saved > 0) return;
  const ref = await getReferenceData(bindingId);
  const code = <T extends { id: string; nominalCode: number | null }>(items: T[], nominal: number, what: string) => {
    const hit = items.find((i) => i.nominalCode === nominal);
    if (!hit) throw new Error(`the Sage business has no ${what} ${nominal}`);
    return hit.id;
  };
  const sales = code(ref.items.sales_ledger_accounts, 4000, "sales ledger account");
  const card = code(ref.items.bank_accounts, 1240, "bank account");
  const current = code(ref.items.bank_accounts, 1200, "bank account");
  const standard = ref.items.tax_rates.find((t) => t.id === "GB_STANDARD" || t.percentage === 20);
  if (!standard) throw new Error("the Sage business has no 20 % tax rate");
  const { version, settings } = await currentPolicy(bindingId);
  const next: PolicyInput = {
    ...settings,
    sync_unpaid_invoices: true,
    sync_zero_value_invoices: false,
    sync_since: DEMO_SYNC_SINCE,
    default_ledger_account_id: sales,
    default_tax_rate_id: standard.id,
    default_bank_account_id: null,
    payment_method_map: {
      braintree: card,
      stripe_payments: card,
      paypal_express: card,
      checkmo: current,
      banktransfer: current,
      purchaseorder: current,
    },
    invoice_number_prefix: "MAG-",
    b2c_consolidation: {
      enabled: true,
      fallback_contact_name: "Magento Web Sales",
      fallback_contact_email: "web-sales@ledger-demo-shop.example",
      fallback_contact_reference: DEMO_FALLBACK_REFERENCE,
      min_total_for_individual: 250,
      always_individual_for_b2b: true,
    },
  };
  const result = await savePolicy({ tenantId, bindingId, actorUserId: userId, settings: next, baseVersion: version });
  if (!result.ok)
    throw new Error(`saving the demo settings failed: ${JSON.stringify(result.fields)}${result.formError ? ` ${result.formError}` : ""}`);
  ctx.say(`saved the demo settings as policy version ${result.version}`);
}

export async function seedDemo(ctx: SeedContext): Promise<SeedResult> {
  const { userId, tenantId } = await ensureUser(ctx);
  await ensureTopPlan(ctx, tenantId);
  const bindingId = await ensurePaired(ctx, tenantId, userId);
  await ensureSageConnected(ctx, tenantId, userId, bindingId);
  await ensureSettings(ctx, tenantId, userId, bindingId);
  const runs = await db().syncRun.count({ where: { tenantId, event: { startsWith: "invoice." } } });
  return { userId, tenantId, bindingId, freshHistory: runs === 0 };
}
