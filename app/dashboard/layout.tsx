import { signOutAction } from "@/app/(auth)/actions";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import { ShellFrame } from "@/components/shell/shell-frame";
import { Sidebar } from "@/components/shell/sidebar";
import { requireTenantContext } from "@/lib/auth/context";
import { switchTenantAction } from "./actions";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const ctx = await requireTenantContext("read", "/dashboard");
  return (
    <ShellFrame
      workspace={ctx.tenant.name}
      sidebar={<Sidebar ctx={ctx} actions={{ switchTenant: switchTenantAction, signOut: signOutAction }} />}
    >
      <div className="mx-auto max-w-[1200px] px-4 py-5 md:px-8 md:py-8">
        {/* URL state of tables and filters (nuqs): the same parsers the server pages load with. */}
        <NuqsAdapter>{children}</NuqsAdapter>
      </div>
    </ShellFrame>
  );
}
