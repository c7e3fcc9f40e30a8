"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireTenantAccess, TENANT_COOKIE } from "@/lib/auth/context";
import { isProduction } from "@/lib/env";
import { submitAction } from "@/lib/http/action";

/** Tenant switcher: only a tenant the user is a member of can be selected (the access check names it). */
export const switchTenantAction = submitAction(
  { name: "dashboard.switchTenant", access: "public", input: z.object({ tenantId: z.uuid("That workspace does not exist.") }) },
  async ({ tenantId }) => {
    await requireTenantAccess(tenantId, "read");
    (await cookies()).set(TENANT_COOKIE, tenantId, { httpOnly: true, sameSite: "lax", path: "/", secure: isProduction() });
    revalidatePath("/dashboard", "layout");
  },
);
