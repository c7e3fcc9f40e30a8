import { z } from "zod";
import { audit } from "@/lib/audit";
import { db } from "@/lib/db";
import { AppError, fieldErrorsOf } from "@/lib/errors";
import { hashPassword } from "./password";
import { newPasswordSchema } from "./password-policy";

export const signUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name").max(120),
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address")),
  password: newPasswordSchema,
  workspace: z.string().trim().min(1, "Name your workspace (usually the shop or company)").max(120),
});

export type SignUpInput = z.input<typeof signUpSchema>;

/** Create a user, their first tenant and an owner membership, atomically. */
export async function registerUser(input: SignUpInput): Promise<{ userId: string; tenantId: string }> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("validation_failed", "Please correct the highlighted fields.", { fields: fieldErrorsOf(parsed.error) });
  }
  const { name, email, password, workspace } = parsed.data;
  const passwordHash = await hashPassword(password);
  try {
    return await db().$transaction(async (tx) => {
      const user = await tx.user.create({ data: { name, email, passwordHash } });
      const tenant = await tx.tenant.create({ data: { name: workspace } });
      await tx.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: "owner" } });
      await audit({ tenantId: tenant.id, actorType: "user", actorUserId: user.id, action: "tenant.created" }, tx);
      return { userId: user.id, tenantId: tenant.id };
    });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") {
      throw new AppError("conflict", "An account with this email already exists.", {
        fields: { email: { code: "taken", message: "An account with this email already exists — sign in instead." } },
      });
    }
    throw e;
  }
}
