import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Is the production build in `.next` older than the sources it was built from? Builds take minutes
 * on a small machine, so the stack reuses `.next` unless something that goes into it changed.
 */

const SOURCE_DIRS = ["app", "components", "lib", "inngest", "prisma"];
const SOURCE_FILES = [
  "next.config.ts",
  "instrumentation.ts",
  "proxy.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];

function newestIn(dir: string): { file: string; mtimeMs: number } | null {
  let best: { file: string; mtimeMs: number } | null = null;
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && !entry.name.startsWith(".")) walk(p);
      } else if (!/\.(int\.)?test\.tsx?$/.test(entry.name)) {
        const m = statSync(p).mtimeMs;
        if (!best || m > best.mtimeMs) best = { file: p, mtimeMs: m };
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return best;
}

export type BuildState = { kind: "missing" } | { kind: "stale"; newer: string } | { kind: "fresh" };

export function buildState(root: string): BuildState {
  const id = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(id)) return { kind: "missing" };
  const built = statSync(id).mtimeMs;
  for (const d of SOURCE_DIRS) {
    const n = newestIn(path.join(root, d));
    if (n && n.mtimeMs > built) return { kind: "stale", newer: path.relative(root, n.file) };
  }
  for (const f of SOURCE_FILES) {
    const p = path.join(root, f);
    if (existsSync(p) && statSync(p).mtimeMs > built) return { kind: "stale", newer: f };
  }
  return { kind: "fresh" };
}
