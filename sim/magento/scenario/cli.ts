import { parseArgs } from "node:util";
import { formatChips, playDay, type Progress } from "./runner.ts";

/**
 * `npm run scenario -- [--fast] [--magento URL] [--sage URL]`: plays a day at the shop against a
 * running simulator (default http://127.0.0.1:8301, the stack's) and Sage emulator
 * (default http://127.0.0.1:8302), printing each beat and the chip tally as it changes.
 */
const { values } = parseArgs({
  options: {
    fast: { type: "boolean" },
    magento: { type: "string" },
    sage: { type: "string" },
    "no-sage": { type: "boolean" },
  },
});

const magentoUrl = values.magento ?? process.env.MAGENTO_SIM_URL ?? `http://127.0.0.1:${process.env.MAGENTO_SIM_PORT ?? 8301}`;
const sageUrl = values["no-sage"]
  ? undefined
  : (values.sage ?? process.env.SAGE_EMU_URL ?? `http://127.0.0.1:${process.env.SAGE_EMU_PORT ?? 8302}`);

let printed = 0;
let lastChips = "";
function show(p: Progress): void {
  for (const line of p.log.slice(printed)) process.stdout.write(`${line}\n`);
  printed = p.log.length;
  const chips = formatChips(p.chips);
  if (chips !== lastChips && p.phase !== "done") {
    process.stdout.write(`       [${p.beat}/${p.total}] ${chips}\n`);
    lastChips = chips;
  }
}

process.stdout.write(`Playing a day at the shop on ${magentoUrl}${values.fast ? " (fast)" : ""}\n`);
try {
  const r = await playDay({ magentoUrl, sageUrl, fast: values.fast, onProgress: show });
  process.stdout.write(
    `\n${r.invoices} invoices, ${r.creditMemos} credit memos in ${(r.elapsedMs / 1000).toFixed(0)} s — ${formatChips(r.chips)}\n` +
      (r.settled ? "" : "Some documents are still pending: is Ledger's sync engine running?\n"),
  );
} catch (e) {
  process.stderr.write(`scenario stopped: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
