import { signOutAction } from "@/app/(auth)/actions";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import { Sidebar } from "@/components/shell/sidebar";
import { requireTenantContext } from "@/lib/auth/context";
import { switchTenantAction } from "./actions";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const ctx = await requireTenantContext("read", "/dashboard");
  return (
    <div className="flex min-h-screen">
      <Sidebar ctx={ctx} actions={{ switchTenant: switchTenantAction, signOut: signOutAction }} />
      <div className="min-w-0 flex-1">
        <div className="mx-auto max-w-[1200px] px-8 py-8">
          {/* URL state of tables and filters (nuqs): the same parsers the server pages load with. */}
          <NuqsAdapter>{children}</NuqsAdapter>
        </div>
      </div>
    </div>
  );
}
