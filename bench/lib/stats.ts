/** Small numeric helpers shared by the benchmarks. */

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
export const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
export const ratio = (v: number) => `${v < 0.1 ? v.toPrecision(2) : v.toFixed(2)}×`;
export const perSecond = (v: number) => `${v.toFixed(1)}/s`;

/** Prints a two-column markdown table (what bench/run.ts collects into bench/results/latest.md). */
export function printTable(title: string, rows: Array<[string, string]>): void {
  const out = [`| ${title} | value |`, "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
  process.stdout.write(`\n${out.join("\n")}\n`);
}

/** Prints a markdown table with a header row. */
export function printGrid(header: string[], rows: string[][]): void {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const out = [line(header), line(header.map(() => "---")), ...rows.map(line)];
  process.stdout.write(`\n${out.join("\n")}\n`);
}

export async function until(probe: () => Promise<boolean>, timeoutMs: number, what: string, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
