import { spawn, type ChildProcess } from "node:child_process";
import { lineSplitter, type LogSink } from "./logs";

/**
 * A component of the stack running as a child process, its output fed line by line into the
 * shared log. Children are spawned directly (never through npx or npm), so a signal reaches the
 * real process and not a wrapper that might leave it running.
 */
export interface Child {
  name: string;
  pid: number | undefined;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** The last lines it printed, for error messages. */
  tail(): string[];
}

export interface ChildOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  log: LogSink;
}

export function startChild(o: ChildOptions): Child {
  const proc: ChildProcess = spawn(o.command, o.args, { cwd: o.cwd, env: o.env, stdio: ["ignore", "pipe", "pipe"] });
  const recent: string[] = [];
  const emit = (line: string) => {
    recent.push(line);
    if (recent.length > 40) recent.shift();
    o.log(o.name, line);
  };
  const out = lineSplitter(emit);
  const err = lineSplitter(emit);
  proc.stdout?.on("data", (c: Buffer) => out.push(c));
  proc.stderr?.on("data", (c: Buffer) => err.push(c));
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    proc.on("error", (e) => {
      emit(`failed to start: ${e.message}`);
      done = true;
      resolve(1);
    });
    proc.on("exit", (code) => {
      out.flush();
      err.flush();
      done = true;
      resolve(code);
    });
  });
  return {
    name: o.name,
    pid: proc.pid,
    exited,
    tail: () => [...recent],
    stop: async (graceMs = 8000) => {
      if (done) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => {
        if (!done) proc.kill("SIGKILL");
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion with its output in the shared log; rejects on a non-zero exit. */
export async function runToCompletion(o: ChildOptions): Promise<void> {
  const child = startChild(o);
  const code = await child.exited;
  if (code !== 0) throw new Error(`${o.name}: \`${[o.command, ...o.args].join(" ")}\` exited with ${code}\n${child.tail().slice(-10).join("\n")}`);
}
