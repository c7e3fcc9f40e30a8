import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { SettingsEditor } from "@/components/settings/settings-editor";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { requireTenantContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { loadEditorData } from "@/lib/policy/editor-data";
import { listPolicyVersions } from "@/lib/policy/history";
import { currentPolicy } from "@/lib/policy/store";
import { featuresFor, planGatingEnabled } from "@/lib/plans";
import { lowestTierWith, TIER_LABEL } from "@/lib/policy/tiers";
import { BindingHeader } from "../../_components/binding-header";
import { loadPolicyVersionAction, refreshReferenceAction, savePolicyAction } from "./actions";

export const metadata: Metadata = { title: "Settings" };

const byLabel = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label);

export default async function SettingsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await requireTenantContext("read", `/dashboard/bindings/${id}/settings`);
  if (!z.uuid().safeParse(id).success) notFound();
  const binding = await db().binding.findFirst({
    where: { id, tenantId: ctx.tenant.id },
    select: {
      id: true,
      status: true,
      magentoConnectionId: true,
      sageConnectionId: true,
      magentoConnection: { select: { baseUrl: true } },
      sageConnection: { select: { businessName: true, region: true } },
    },
  });
  if (!binding) notFound();

  const [policy, data, versions] = await Promise.all([
    currentPolicy(binding.id),
    loadEditorData(binding),
    listPolicyVersions(ctx.tenant.id, binding.id),
  ]);
  const items = data.reference?.items;
  const readOnlyReason = !can(ctx.role, "editSettings")
    ? `View only: your role (${ctx.role}) cannot change settings; an admin or owner can.`
    : binding.status === "revoked"
      ? "This binding is disconnected; its settings are kept for the record."
      : null;

  return (
    <div className="space-y-6">
      <BindingHeader bindingId={binding.id} baseUrl={binding.magentoConnection.baseUrl} sage={binding.sageConnection} page="Settings" />
      <p className="text-muted">
        Changes apply to the next event Magento sends. Runs already queued keep the settings they started with (their snapshot), and retries
        use the live settings.
      </p>
      {!binding.sageConnectionId ? (
        <Alert tone="warning" className="flex flex-wrap items-center justify-between gap-3 border border-warn/40 px-4 py-3">
          <span>Sage is not connected yet: the accounts and tax rates to choose from come from your Sage business.</span>
          {can(ctx.role, "manageConnections") && binding.status !== "revoked" ? (
            <Link href={`/dashboard/connect-sage?binding=${binding.id}`} className={buttonClass("primary")}>
              Connect Sage
            </Link>
          ) : null}
        </Alert>
      ) : null}
      {data.paymentMethodsProblem ? <Alert tone="info">{data.paymentMethodsProblem}</Alert> : null}
      <SettingsEditor
        bindingId={binding.id}
        version={policy.version}
        policy={policy.settings}
        methods={data.paymentMethods?.map((m) => ({ code: m.code, label: m.label })) ?? null}
        options={{
          taxRates: (items?.tax_rates ?? []).map((t) => ({ id: t.id, label: t.label })).sort(byLabel),
          sales: (items?.sales_ledger_accounts ?? []).map((l) => ({ id: l.id, label: l.label })),
          expenses: (items?.expense_ledger_accounts ?? []).map((l) => ({ id: l.id, label: l.label })),
          banks: (items?.bank_accounts ?? []).map((b) => ({ id: b.id, label: b.label })),
        }}
        plan={{
          label: TIER_LABEL[ctx.tenant.planTier],
          ...featuresFor(ctx.tenant.planTier, planGatingEnabled()),
          productsFrom: TIER_LABEL[lowestTierWith("products")],
          stockFrom: TIER_LABEL[lowestTierWith("stock")],
        }}
        reference={{
          fetchedAt: data.reference?.fetchedAt.toISOString() ?? null,
          problem: data.reference?.refreshError
            ? "Sage did not answer the automatic refresh (the lists were over 24 hours old); showing the last lists fetched."
            : binding.sageConnectionId
              ? data.referenceProblem
              : null,
        }}
        readOnlyReason={readOnlyReason}
        versions={versions}
        save={savePolicyAction}
        refresh={refreshReferenceAction}
        loadVersion={loadPolicyVersionAction}
      />
    </div>
  );
}
