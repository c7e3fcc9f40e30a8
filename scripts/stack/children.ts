import { spawn, type ChildProcess } from "node:child_process";
import { lineSplitter, type LogSink } from "./logs";

/**
 * A component of the stack running as a child process, its output fed line by line into the
 * shared log. Children are spawned directly (never through npx or npm), so a signal reaches the
 * real process and not a wrapper that might leave it running. The stack runs its long-lived
 * components under superviseChild, which restarts them with backoff when they crash.
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

export interface RestartPolicy {
  /** First restart delay; doubles on each crash up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A first process that dies sooner than this is a start-up failure: reported, not restarted. */
  minUptimeMs: number;
  /** A process that stayed up this long resets the delay to `initialDelayMs`. */
  stableAfterMs: number;
}

export const DEFAULT_RESTART: RestartPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, minUptimeMs: 3_000, stableAfterMs: 60_000 };

export interface SupervisedChild extends Child {
  /** How many times the process was restarted after a crash. */
  restarts(): number;
}

const exitText = (code: number | null) => (code === null ? "a signal" : `code ${code}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/**
 * A child that is started again, with growing delays, whenever it dies on its own — a crash, an
 * out-of-memory kill — each restart logged under `stack`. Only stop() ends it. A process that dies
 * during start-up is not restarted: that is a configuration problem to report, not to hammer.
 */
export function superviseChild(o: ChildOptions, policy: RestartPolicy = DEFAULT_RESTART): SupervisedChild {
  let current = startChild(o);
  let stopping = false;
  let restarts = 0;
  let delay = policy.initialDelayMs;
  let timer: NodeJS.Timeout | undefined;
  let finish: (code: number | null) => void = () => undefined;
  const exited = new Promise<number | null>((resolve) => (finish = resolve));

  const watch = (child: Child, startedAt: number) => {
    void child.exited.then((code) => {
      if (stopping) return finish(code);
      const uptime = Date.now() - startedAt;
      if (restarts === 0 && uptime < policy.minUptimeMs) {
        o.log("stack", `${o.name} exited with ${exitText(code)} while starting; not restarting it`);
        return finish(code);
      }
      if (uptime >= policy.stableAfterMs) delay = policy.initialDelayMs;
      restarts++;
      o.log("stack", `${o.name} exited with ${exitText(code)}; restarting it in ${seconds(delay)} (restart ${restarts})`);
      timer = setTimeout(() => {
        timer = undefined;
        if (stopping) return finish(code);
        current = startChild(o);
        o.log("stack", `${o.name} restarted (pid ${current.pid ?? "?"})`);
        watch(current, Date.now());
      }, delay);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    });
  };
  watch(current, Date.now());

  return {
    name: o.name,
    get pid() {
      return current.pid;
    },
    exited,
    restarts: () => restarts,
    tail: () => current.tail(),
    async stop(graceMs?: number) {
      stopping = true;
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
        finish(null);
      }
      await current.stop(graceMs);
      await exited;
    },
  };
}

/** Runs a command to completion with its output in the shared log; rejects on a non-zero exit. */
export async function runToCompletion(o: ChildOptions): Promise<void> {
  const child = startChild(o);
  const code = await child.exited;
  if (code !== 0)
    throw new Error(`${o.name}: \`${[o.command, ...o.args].join(" ")}\` exited with ${code}\n${child.tail().slice(-10).join("\n")}`);
}
