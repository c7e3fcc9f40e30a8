import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface DemoSecrets {
  LEDGER_ENCRYPTION_KEY: string;
  AUTH_SECRET: string;
}

/**
 * Demo secrets are generated once per data directory and reused, so a second `npm run demo` can still
 * decrypt what the first one stored. Never used in production (the README says how to set real ones).
 */
export function loadDemoSecrets(dataDir: string): DemoSecrets {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as DemoSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets = { LEDGER_ENCRYPTION_KEY: randomBytes(32).toString("base64"), AUTH_SECRET: randomBytes(32).toString("base64url") };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
