import type { Prisma } from "@/src/generated/prisma/client";
import { db } from "@/lib/db";
import { defaultPolicy, parsePolicy, type Policy } from "./schema";

type Tx = Prisma.TransactionClient;

export interface PolicyVersion {
  version: number;
  settings: Policy;
}

/** The live (newest) policy of a binding; version 0 with defaults if none was ever saved. */
export async function currentPolicy(bindingId: string, tx?: Tx): Promise<PolicyVersion> {
  const row = await (tx ?? db()).syncPolicy.findFirst({ where: { bindingId }, orderBy: { version: "desc" } });
  return row ? { version: row.version, settings: parsePolicy(row.settings) } : { version: 0, settings: defaultPolicy() };
}

/** A new binding starts with version 1 = the defaults, recorded as saved by nobody (the system). */
export async function ensureInitialPolicy(bindingId: string, tx: Tx): Promise<void> {
  const exists = await tx.syncPolicy.findFirst({ where: { bindingId }, select: { id: true } });
  if (!exists) {
    await tx.syncPolicy.create({
      data: { bindingId, version: 1, settings: defaultPolicy() as unknown as Prisma.InputJsonValue, changes: [] },
    });
  }
}
