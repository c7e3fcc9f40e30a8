import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Benchmarks against the real production server: `next start` from the repository's `.next` build
 * (built once with `next build` when there is none, or when it is older than the last commit or a
 * file changed since), on a loopback port with the environment given.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");

export interface NextServer {
  url: string;
  /** The server's process id (its CPU time is read from /proc by bench/lib/cpu.ts). */
  pid: number;
  stop(): Promise<void>;
}

/** A build exists and is not older than the code (last commit, uncommitted changes to tracked files). */
export function hasBuild(): boolean {
  const id = path.join(root, ".next/BUILD_ID");
  if (!existsSync(id)) return false;
  const built = statSync(id).mtimeMs;
  try {
    const committed = Number(execFileSync("git", ["log", "-1", "--format=%ct"], { cwd: root }).toString().trim()) * 1000;
    const changed = execFileSync("git", ["diff", "--name-only", "HEAD"], { cwd: root })
      .toString()
      .split("\n")
      .filter(Boolean)
      .map((f) => (existsSync(path.join(root, f)) ? statSync(path.join(root, f)).mtimeMs : 0));
    return built >= Math.max(committed, ...changed);
  } catch {
    return true; // not a git checkout: trust the build that is there
  }
}

/** `next build`, once; throws when it fails. */
export function buildOnce(): void {
  if (hasBuild()) return;
  process.stderr.write("no current production build: running next build once (a few minutes)\n");
  const r = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    // The build's progress goes to stderr: stdout carries the benchmark's tables into bench/results/latest.md.
    stdio: ["ignore", 2, 2],
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (r.status !== 0) throw new Error(`next build failed (${r.status})`);
}

export async function startNext(port: number, env: Record<string, string>): Promise<NextServer> {
  const proc: ChildProcess = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`next start exited early:\n${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      await res.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`next start did not answer within 60 s:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    pid: proc.pid!,
    async stop() {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await exited;
    },
  };
}
