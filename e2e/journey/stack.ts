import { test as base } from "@playwright/test";
import type { Stack } from "../../scripts/stack/index";
import { withFreshStack } from "../fresh-stack";

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
    async ({}, provide, workerInfo) => withFreshStack("journey", workerInfo.project.outputDir, { drainSeconds: DRAIN_SECONDS }, provide),
    { scope: "worker", timeout: 240_000 },
  ],
});

export { expect } from "@playwright/test";
