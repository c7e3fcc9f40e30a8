import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test as base } from "@playwright/test";
import { startStack, type Stack } from "../../scripts/stack/index";

/**
 * A fresh, empty stack for the acceptance journey: embedded PostgreSQL in a temp directory, the Sage
 * emulator, the Magento simulator (outbox drained every few seconds), the embedded executor and
 * `next start` of the existing build, all on free ports. Nothing is seeded: the journey makes its
 * workspace through the UI.
 */

/** The simulator's outbox cron: how often raised invoices reach Ledger. */
export const DRAIN_SECONDS = 2;

export const test = base.extend<object, { stack: Stack }>({
  stack: [
    async ({}, provide, workerInfo) => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "ledger-journey-e2e-"));
      mkdirSync(workerInfo.project.outputDir, { recursive: true });
      const stack = await startStack({
        dataDir,
        ports: { app: 0, executor: 0, magento: 0, sage: 0, db: 0 },
        // Reuse the build the suite already made; a rebuild would pull .next from under other servers.
        build: false,
        host: "127.0.0.1",
        drainSeconds: DRAIN_SECONDS,
        logFile: path.join(workerInfo.project.outputDir, "journey-stack.log"),
      });
      try {
        await provide(stack);
      } finally {
        await stack.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    { scope: "worker", timeout: 240_000 },
  ],
});

export { expect } from "@playwright/test";
