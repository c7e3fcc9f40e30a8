import type { Readiness } from "./checks";
import { databaseCheck, migrationsCheck } from "./database";
import { inngestCheck } from "./inngest";

/**
 * `GET /api/ready`: is this instance ready for traffic? The database answers, this build's
 * migrations are applied, and the Inngest server is reachable. The checks run concurrently, each
 * with its own short timeout, so the endpoint answers within a few seconds whatever is down.
 */
export async function readiness(): Promise<Readiness> {
  const [database, migrations, inngest] = await Promise.all([databaseCheck(), migrationsCheck(), inngestCheck()]);
  const checks = { database, migrations, inngest };
  return { status: Object.values(checks).every((c) => c.status === "ok") ? "ready" : "not_ready", checks };
}

export type { CheckResult, Readiness } from "./checks";
