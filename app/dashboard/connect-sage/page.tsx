import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { buttonClass } from "@/components/ui/button";
import { requireTenantContext, type TenantContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { getBusinessSelection } from "@/lib/bindings/sage-business";
import { bindingPagePath } from "@/lib/bindings/sage-callback";
import { connectErrorMessage, isSageConnectError } from "@/lib/sage/connect-errors";
import { cancelSelectionAction, chooseBusinessAction, startConnectAction } from "./actions";
import { Problem, StepCard } from "./step-card";
import { Alert } from "@/components/ui/alert";

export const metadata: Metadata = { title: "Connect Sage" };

type Search = { binding?: string; selection?: string; error?: string };

export default async function ConnectSagePage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const ctx = await requireTenantContext("read", "/dashboard/connect-sage");
  const problem = connectErrorMessage(sp.error);
  if (!can(ctx.role, "manageConnections")) {
    return (
      <StepCard eyebrow="Sage" title="Connect Sage">
        <Problem>{connectErrorMessage("not_allowed")}</Problem>
      </StepCard>
    );
  }
  if (sp.selection) return <BusinessPicker ctx={ctx} selectionId={sp.selection} problem={problem} />;
  if (sp.binding && z.uuid().safeParse(sp.binding).success) return <ConnectCard ctx={ctx} bindingId={sp.binding} problem={problem} />;
  return <ChooseBinding ctx={ctx} problem={problem} />;
}

async function ConnectCard({ ctx, bindingId, problem }: { ctx: TenantContext; bindingId: string; problem: string | null }) {
  const binding = await db().binding.findFirst({
    where: { id: bindingId, tenantId: ctx.tenant.id },
    select: {
      id: true,
      status: true,
      magentoConnection: { select: { baseUrl: true } },
      sageConnection: { select: { status: true, businessName: true } },
    },
  });
  if (!binding || binding.status === "revoked") {
    return (
      <StepCard eyebrow="Sage" title="Connect Sage">
        <Problem>{problem ?? connectErrorMessage("binding_unavailable")}</Problem>
        <Link className={buttonClass("secondary")} href="/dashboard">
          Back to the dashboard
        </Link>
      </StepCard>
    );
  }
  const sage = binding.sageConnection?.status === "revoked" ? null : binding.sageConnection;
  const reconnect = sage !== null;
  return (
    <StepCard eyebrow="Sage" title={reconnect ? `Reconnect Sage — ${sage.businessName}` : "Connect Sage"}>
      <p className="text-sm text-muted">
        Store <span className="font-medium text-ink">{binding.magentoConnection.baseUrl}</span>
      </p>
      {problem ? <Problem>{problem}</Problem> : null}
      {sage?.status === "needs_reconnect" && !problem ? (
        <Alert tone="warning" className="text-sm">
          Sage stopped accepting Ledger&apos;s sign-in for {sage.businessName}. Syncing is paused and nothing is lost: sign in again and
          waiting documents are posted.
        </Alert>
      ) : null}
      <p className="text-sm">
        {reconnect
          ? `Sign in to Sage as a user of ${sage.businessName}. This binding stays locked to that business; to post to a different business, create a new binding.`
          : "Sign in to Sage Business Cloud Accounting and allow Ledger full access. If your Sage user has several businesses you pick one next — the binding is then locked to it."}
      </p>
      <form action={startConnectAction} className="flex items-center gap-3">
        <input type="hidden" name="bindingId" value={binding.id} />
        <button type="submit" className={buttonClass("primary")}>
          Continue to Sage
        </button>
        <Link className={buttonClass("ghost")} href={reconnect ? bindingPagePath(binding.id) : "/dashboard"}>
          Cancel
        </Link>
      </form>
      <p className="text-xs text-muted">The sign-in link is valid for 10 minutes.</p>
    </StepCard>
  );
}

async function BusinessPicker({ ctx, selectionId, problem }: { ctx: TenantContext; selectionId: string; problem: string | null }) {
  let selection;
  try {
    selection = await getBusinessSelection({ selectionId, userId: ctx.user.id, tenantId: ctx.tenant.id });
  } catch (e) {
    if (!isSageConnectError(e)) throw e;
    return (
      <StepCard eyebrow="Sage" title="Choose your Sage business">
        <Problem>{problem ?? e.message}</Problem>
        {e.bindingId ? (
          <Link className={buttonClass("primary")} href={`/dashboard/connect-sage?binding=${e.bindingId}`}>
            Connect Sage again
          </Link>
        ) : null}
      </StepCard>
    );
  }
  return (
    <StepCard eyebrow="Sage" title="Choose your Sage business">
      <p className="text-sm text-muted">
        Your Sage user has {selection.businesses.length} businesses. Ledger posts this store&apos;s invoices, credit notes and payments to
        the one you pick, and the binding stays locked to it.
      </p>
      {problem ? <Problem>{problem}</Problem> : null}
      <form action={chooseBusinessAction} className="space-y-4">
        <input type="hidden" name="selectionId" value={selection.selectionId} />
        <fieldset className="space-y-2">
          <legend className="sr-only">Sage business</legend>
          {selection.businesses.map((b) => (
            <label
              key={b.id}
              className="flex cursor-pointer items-center gap-3 rounded-md border border-line px-3 py-2 hover:bg-surface-2 has-[:checked]:border-accent"
            >
              <input type="radio" name="businessId" value={b.id} required className="accent-accent" />
              <span className="font-medium">{b.name}</span>
              {b.country ? <span className="ml-auto text-xs text-muted">{b.country}</span> : null}
            </label>
          ))}
        </fieldset>
        <div className="flex items-center gap-3">
          <button type="submit" className={buttonClass("primary")}>
            Use this business
          </button>
          <button type="submit" formAction={cancelSelectionAction} formNoValidate className={buttonClass("ghost")}>
            Cancel
          </button>
        </div>
      </form>
    </StepCard>
  );
}

async function ChooseBinding({ ctx, problem }: { ctx: TenantContext; problem: string | null }) {
  const waiting = await db().binding.findMany({
    where: { tenantId: ctx.tenant.id, status: "pending_sage" },
    orderBy: { createdAt: "asc" },
    select: { id: true, magentoConnection: { select: { baseUrl: true } } },
  });
  return (
    <StepCard eyebrow="Sage" title="Connect Sage">
      {problem ? <Problem>{problem}</Problem> : null}
      {waiting.length === 0 ? (
        <p className="text-sm text-muted">
          No store is waiting for Sage. Pair a Magento store first (Stores → Configuration → Byte8 in Magento), then connect Sage to it.
        </p>
      ) : (
        <ul className="space-y-2">
          {waiting.map((b) => (
            <li key={b.id}>
              <Link
                className="flex items-center justify-between rounded-md border border-line px-3 py-2 hover:bg-surface-2"
                href={`/dashboard/connect-sage?binding=${b.id}`}
              >
                <span className="font-medium">{b.magentoConnection.baseUrl}</span>
                <span className="text-sm text-accent">Connect Sage →</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </StepCard>
  );
}
