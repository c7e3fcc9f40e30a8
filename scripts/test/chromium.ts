import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

/**
 * Which Chromium the browser tests drive: `CHROMIUM_PATH` when set, else Debian's `/usr/bin/chromium`,
 * else Playwright's own build (installed on demand where the machine can download it). Shared by the
 * test runner and playwright.config.ts, so `npx playwright test` picks the same browser.
 */

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

export interface ChromiumChoice {
  path: string;
  source: "CHROMIUM_PATH" | "system" | "playwright";
}

export interface ChromiumDeps {
  exists(path: string): boolean;
  /** Where Playwright's own Chromium is (or would be) installed. */
  playwrightPath(): string;
}

const realDeps: ChromiumDeps = { exists: existsSync, playwrightPath: () => chromium.executablePath() };

export const INSTALL_HINT =
  "no Chromium for the browser tests: install one (Debian/Ubuntu: `apt-get install chromium`; anywhere with internet: `npx playwright install chromium`) or set CHROMIUM_PATH to a Chromium binary";

/** The first Chromium that exists, without installing anything; an explanation when none does. */
export function findChromium(
  env: Record<string, string | undefined> = process.env,
  deps: ChromiumDeps = realDeps,
): ChromiumChoice | { error: string } {
  const given = env.CHROMIUM_PATH?.trim();
  if (given)
    return deps.exists(given) ? { path: given, source: "CHROMIUM_PATH" } : { error: `CHROMIUM_PATH is ${given}, which does not exist` };
  if (deps.exists(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM, source: "system" };
  const own = deps.playwrightPath();
  if (own && deps.exists(own)) return { path: own, source: "playwright" };
  return { error: INSTALL_HINT };
}

/** `npx playwright install chromium`; true when it succeeded. Fails fast where there is no internet. */
function installPlaywrightChromium(log: (line: string) => void): boolean {
  log("no Chromium found: trying `npx playwright install chromium`…");
  const r = spawnSync("npx", ["playwright", "install", "chromium"], {
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    timeout: 600_000,
  });
  if (r.status !== 0) {
    const lines = `${r.stderr ?? ""}\n${r.stdout ?? ""}`.split("\n").map((l) => l.trim());
    const why = lines.find((l) => l.startsWith("Error:"))?.slice(7) ?? (r.error ? r.error.message : `exit ${r.status}`);
    log(`  could not install it (${why})`);
  }
  return r.status === 0;
}

/**
 * findChromium, then — only when the answer is "none" and CHROMIUM_PATH was not set — one attempt
 * to install Playwright's own build and look again.
 */
export function ensureChromium(
  env: Record<string, string | undefined>,
  log: (line: string) => void,
  deps: ChromiumDeps = realDeps,
  install: (log: (line: string) => void) => boolean = installPlaywrightChromium,
): ChromiumChoice | { error: string } {
  const found = findChromium(env, deps);
  if ("path" in found || env.CHROMIUM_PATH?.trim()) return found;
  return install(log) ? findChromium(env, deps) : found;
}
