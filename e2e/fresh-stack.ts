import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startStack, type Stack } from "../scripts/stack/index";

/**
 * A whole stack of its own for a browser spec: embedded PostgreSQL in a temp directory, the Sage
 * emulator, the Magento simulator, the embedded executor and `next start` of the existing build, all
 * on free ports, logging to the project's output folder. Used as a worker-scoped Playwright fixture.
 */
export async function withFreshStack(
  name: string,
  outputDir: string,
  opts: { drainSeconds?: number },
  run: (stack: Stack) => Promise<void>,
): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `ledger-${name}-e2e-`));
  mkdirSync(outputDir, { recursive: true });
  const stack = await startStack({
    dataDir,
    ports: { app: 0, executor: 0, magento: 0, sage: 0, db: 0 },
    // Reuse the build the suite already made; a rebuild would pull .next from under other servers.
    build: false,
    host: "127.0.0.1",
    ...(opts.drainSeconds !== undefined ? { drainSeconds: opts.drainSeconds } : {}),
    logFile: path.join(outputDir, `${name}-stack.log`),
  });
  try {
    await run(stack);
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
