import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { PolicyChange } from "./diff";
import { parsePolicy, type Policy } from "./schema";

/** A binding's saved policy versions for the history panel, newest first, scoped to the tenant. */

export interface PolicyVersionSummary {
  version: number;
  savedAt: string;
  savedBy: { name: string | null; email: string } | null;
  changes: PolicyChange[];
}

const changesSchema = z.array(z.object({ key: z.string(), before: z.unknown(), after: z.unknown() })).catch([]);

export async function listPolicyVersions(tenantId: string, bindingId: string, limit = 50): Promise<PolicyVersionSummary[]> {
  const rows = await db().syncPolicy.findMany({
    where: { bindingId, binding: { tenantId } },
    orderBy: { version: "desc" },
    take: limit,
    select: { version: true, createdAt: true, changes: true, savedBy: { select: { name: true, email: true } } },
  });
  return rows.map((r) => ({
    version: r.version,
    savedAt: r.createdAt.toISOString(),
    savedBy: r.savedBy,
    changes: changesSchema.parse(r.changes ?? []) as PolicyChange[],
  }));
}

export async function getPolicyVersion(
  tenantId: string,
  bindingId: string,
  version: number,
): Promise<{ version: number; settings: Policy }> {
  const row = await db().syncPolicy.findFirst({
    where: { bindingId, version, binding: { tenantId } },
    select: { version: true, settings: true },
  });
  if (!row) throw new AppError("not_found", `Version ${version} of these settings does not exist.`);
  return { version: row.version, settings: parsePolicy(row.settings) };
}
