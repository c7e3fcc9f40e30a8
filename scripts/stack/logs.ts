import { appendFileSync } from "node:fs";

/**
 * One log stream for the whole stack: every line carries its source (`[app]`, `[executor]`,
 * `[magento]`, `[sage]`, `[db]`, …). pino's JSON lines are shortened to `LEVEL message key=value`
 * so a presenter can read them; anything else passes through unchanged.
 */

export type LogSink = (source: string, line: string) => void;

const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
const NOISE = new Set(["level", "time", "pid", "hostname", "msg", "service", "v"]);

function short(v: unknown): string {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

/** A pino JSON line as `INFO message key=value …`; other lines unchanged. */
export function formatLine(line: string): string {
  if (!line.startsWith("{")) return line;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof o.level !== "number" || typeof o.msg !== "string") return line;
  const extras = Object.entries(o)
    .filter(([k, v]) => !NOISE.has(k) && v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${short(v)}`);
  return [LEVELS[o.level] ?? String(o.level), o.msg, ...extras].join(" ");
}

export interface SinkOptions {
  /** Prefix each line with its source (default true). */
  prefix?: boolean;
  /** Append to this file instead of writing to stdout (tests). */
  file?: string;
}

export function createSink({ prefix = true, file }: SinkOptions = {}): LogSink {
  const width = 11;
  return (source, line) => {
    const text = `${prefix ? `[${source}]`.padEnd(width) : ""}${formatLine(line)}\n`;
    if (file) appendFileSync(file, text);
    else process.stdout.write(text);
  };
}

/** Splits a byte stream into lines for the sink (a partial last line waits for the rest). */
export function lineSplitter(emit: (line: string) => void): { push(chunk: Buffer | string): void; flush(): void } {
  let rest = "";
  return {
    push(chunk) {
      const parts = (rest + chunk.toString()).split(/\r?\n/);
      rest = parts.pop() ?? "";
      for (const p of parts) if (p.trim()) emit(p);
    },
    flush() {
      if (rest.trim()) emit(rest);
      rest = "";
    },
  };
}
