import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface DemoSecrets {
  LEDGER_ENCRYPTION_KEY: string;
  AUTH_SECRET: string;
  /** The embedded executor signs every call to /api/inngest with it; the app refuses unsigned calls. */
  INNGEST_SIGNING_KEY: string;
  /** The app sends events to the embedded executor with it. */
  INNGEST_EVENT_KEY: string;
}

const GENERATORS: Record<keyof DemoSecrets, () => string> = {
  LEDGER_ENCRYPTION_KEY: () => randomBytes(32).toString("base64"),
  AUTH_SECRET: () => randomBytes(32).toString("base64url"),
  INNGEST_SIGNING_KEY: () => `signkey-local-${randomBytes(32).toString("hex")}`,
  INNGEST_EVENT_KEY: () => randomBytes(24).toString("hex"),
};

/**
 * Demo secrets are generated once per data directory and reused, so a second `npm run demo` can still
 * decrypt what the first one stored. A directory made before a secret existed gets just the missing
 * one added; existing values are never replaced. Never used in production (the README says how to set
 * real ones).
 */
export function loadDemoSecrets(dataDir: string): DemoSecrets {
  const file = path.join(dataDir, "secrets.json");
  const stored: Partial<DemoSecrets> = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<DemoSecrets>) : {};
  const missing = (Object.keys(GENERATORS) as (keyof DemoSecrets)[]).filter((k) => !stored[k]);
  if (missing.length === 0) return stored as DemoSecrets;
  const secrets = { ...stored } as DemoSecrets;
  for (const k of missing) secrets[k] = GENERATORS[k]();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
