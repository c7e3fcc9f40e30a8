import { defineConfig } from "@playwright/test";
import { findChromium } from "./scripts/test/chromium";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;

/**
 * `--project demo` and `--project journey` (see e2e/demo.spec.ts, e2e/journey.spec.ts) need neither
 * the seeded test database nor the shared server: each starts a stack of its own, so they can run
 * where DATABASE_URL is unset.
 */
const argv = process.argv.slice(2);
const projects = argv.flatMap((a, i) =>
  a.startsWith("--project=") ? [a.slice(10)] : a === "--project" && argv[i + 1] ? [argv[i + 1]] : [],
);
const STANDALONE = ["demo", "journey"];
const demoOnly = projects.length > 0 && projects.every((p) => STANDALONE.includes(p));

/**
 * Browser tests run against the production build (`next start`) in CHROMIUM_PATH, else Debian's
 * Chromium, else Playwright's own (`npm test` installs it when it can; see scripts/test/chromium.ts).
 */
const browser = findChromium();
export default defineConfig({
  testDir: "./e2e",
  globalSetup: demoOnly ? undefined : "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  projects: [
    { name: "app", testIgnore: ["demo.spec.ts", "journey.spec.ts"] },
    // The sales demo starts a whole stack of its own (embedded PostgreSQL, simulators, executor, app)
    // on free ports from the existing build; it does not use the webServer below.
    { name: "demo", testMatch: "demo.spec.ts", timeout: 600_000 },
    // The acceptance journey through the real UI, also on a fresh stack of its own (e2e/journey/).
    { name: "journey", testMatch: "journey.spec.ts", timeout: 600_000 },
  ],
  use: {
    baseURL,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      // With none found, Playwright looks for its own build and says how to install it.
      executablePath: "path" in browser ? browser.path : undefined,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: demoOnly
    ? undefined
    : {
        command: `npx next start -p ${PORT} -H 127.0.0.1`,
        // Liveness only: this server has no Inngest of its own (specs that need one start it).
        url: `${baseURL}/api/health`,
        reuseExistingServer: false,
        timeout: 120_000,
        env: {
          ...(process.env as Record<string, string>),
          LEDGER_BASE_URL: baseURL,
          AUTH_URL: baseURL,
          // Signed Inngest only (npm test passes real ones); without an executor, a closed loopback port.
          INNGEST_BASE_URL: process.env.INNGEST_BASE_URL ?? "http://127.0.0.1:9",
          INNGEST_SIGNING_KEY: process.env.INNGEST_SIGNING_KEY ?? `signkey-test-${"5e".repeat(32)}`,
          INNGEST_EVENT_KEY: process.env.INNGEST_EVENT_KEY ?? "test-event-key-0123456789abcdef",
        },
      },
});
