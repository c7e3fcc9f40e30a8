"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireTenantAccess, TENANT_COOKIE } from "@/lib/auth/context";
import { isProduction } from "@/lib/env";

/** Tenant switcher: only a tenant the user is a member of can be selected. */
export async function switchTenantAction(form: FormData): Promise<void> {
  const tenantId = z.uuid().parse(form.get("tenantId"));
  await requireTenantAccess(tenantId, "read");
  (await cookies()).set(TENANT_COOKIE, tenantId, { httpOnly: true, sameSite: "lax", path: "/", secure: isProduction() });
  revalidatePath("/dashboard", "layout");
}
