import type { Metadata } from "next";
import Link from "next/link";
import { requireTenantContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { ConnectMagentoForm } from "./connect-form";
import { Alert } from "@/components/ui/alert";

export const metadata: Metadata = { title: "Connect Magento" };

/** Connect flow step 1 (ui.md): one centred card; the error shown is one the merchant can act on. */
export default async function ConnectMagentoPage() {
  const ctx = await requireTenantContext("read", "/dashboard/connect-magento");
  return (
    <div className="flex justify-center py-8">
      <section
        aria-labelledby="connect-magento"
        className="w-full max-w-md space-y-6 rounded-xl border border-line bg-surface p-8 shadow-sm"
      >
        <header className="space-y-1">
          <div className="text-xs font-semibold uppercase tracking-wider text-accent">Step 1 of 2</div>
          <h1 id="connect-magento" className="text-xl font-semibold">
            Connect your Magento store
          </h1>
          <p className="text-muted">
            In Magento, open Stores → Configuration → Byte8 and generate a pairing code. Paste it here with your store&apos;s address.
          </p>
        </header>
        {can(ctx.role, "manageConnections") ? (
          <ConnectMagentoForm />
        ) : (
          <Alert tone="warning" role="alert">
            Your role ({ctx.role}) cannot pair stores in {ctx.tenant.name}. Ask an admin or owner to do it.
          </Alert>
        )}
        <p className="text-center text-xs text-muted">
          <Link href="/dashboard" className="hover:underline">
            Back to Home
          </Link>
        </p>
      </section>
    </div>
  );
}
