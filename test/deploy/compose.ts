import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

/**
 * Test-only: reads compose.yaml as Docker Compose would, as far as a test can without Docker —
 * YAML parsed by a real parser, `${…}` interpolated with Compose's rules — so the deploy files can
 * be checked against lib/env.ts and the README in CI.
 */

export const ROOT = path.resolve(import.meta.dirname, "../..");

export interface ComposeService {
  image?: string;
  build?: { context: string; target?: string };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition: string }> | string[];
  ports?: string[];
  healthcheck?: { test: string[] | string };
  profiles?: string[];
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export class MissingVariable extends Error {}

/**
 * Compose's interpolation: `$$` is a literal `$`; `${VAR}`, `${VAR:-default}` (default when unset
 * or empty), `${VAR-default}` (when unset), `${VAR:?message}` / `${VAR?message}` (an error).
 */
export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (m, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
      if (m === "$$") return "$";
      const key = name ?? bare ?? "";
      const value = vars[key];
      const missing = colon ? value === undefined || value === "" : value === undefined;
      if (op === "-") return missing ? (arg ?? "") : (value as string);
      if (op === "?") {
        if (missing) throw new MissingVariable(`${key}: ${arg}`);
        return value as string;
      }
      return value ?? "";
    },
  );
}

export function readCompose(vars: Record<string, string | undefined>): ComposeFile {
  return parse(interpolate(readFileSync(path.join(ROOT, "compose.yaml"), "utf8"), vars)) as ComposeFile;
}

/** A service's environment as a plain record (Compose accepts a map or a list of KEY=value). */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? "" : String(v)]));
}

/** KEY=value lines of a dotenv file (comments and blank lines skipped). */
export function readDotenv(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path.join(ROOT, file), "utf8").split("\n")) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}
