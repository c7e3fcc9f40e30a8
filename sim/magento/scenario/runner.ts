import { magentoAdmin, sageAdmin, type MirrorRow } from "./clients.ts";
import { DAY, type BeatContext, type DayState } from "./day.ts";

/**
 * Plays the day beat by beat, draining the outbox after each so Ledger hears about it at once, and
 * reports progress: the beat, what to expect, and a tally of the Sage Status chips (from the
 * module's mirror table) of everything this play created. At the end it waits for the chips to
 * settle, so the read-out ends with what the grids show.
 */

export type Chip = "synced" | "pending" | "skipped" | "failed";

export interface Progress {
  phase: "running" | "settling" | "done" | "failed";
  beat: number;
  total: number;
  clock: string;
  title: string;
  expect: string;
  chips: Record<Chip, number>;
  /** what happened so far, newest last */
  log: string[];
  error?: string;
}

export interface PlayOptions {
  magentoUrl: string;
  /** Sage emulator origin; without it the rate-limit beat runs without 429s. */
  sageUrl?: string;
  /** No pauses between beats (tests, rehearsals). */
  fast?: boolean;
  /** How long to wait for the chips to settle at the end (default 180 s). */
  settleMs?: number;
  onProgress?: (p: Progress) => void;
}

export interface DayResult {
  chips: Record<Chip, number>;
  invoices: number;
  creditMemos: number;
  settled: boolean;
  elapsedMs: number;
}

const PAUSE_MS = 4000;
const FAST_PAUSE_MS = 300;

export function tally(mirror: MirrorRow[], tracked: DayState["tracked"]): Record<Chip, number> {
  const byKey = new Map(mirror.map((m) => [`${m.entity_type}:${m.magento_id}`, m.sync_status]));
  const chips: Record<Chip, number> = { synced: 0, pending: 0, skipped: 0, failed: 0 };
  for (const t of tracked) {
    const s = byKey.get(`${t.entity_type}:${t.id}`);
    chips[s === "synced" || s === "skipped" || s === "failed" ? s : "pending"] += 1;
  }
  return chips;
}

export const formatChips = (c: Record<Chip, number>) =>
  `✓ ${c.synced} synced · ⏳ ${c.pending} pending · ⏸ ${c.skipped} skipped · ✗ ${c.failed} failed`;

export async function playDay(opts: PlayOptions): Promise<DayResult> {
  const t0 = Date.now();
  const magento = magentoAdmin(opts.magentoUrl);
  const sage = opts.sageUrl ? sageAdmin(opts.sageUrl) : null;
  const state: DayState = {
    customers: { acme: 0, mueller: 0, harbour: 0, grant: 0 },
    invoices: {},
    tracked: [],
    run: Date.now().toString(36),
  };
  const progress: Progress = {
    phase: "running",
    beat: 0,
    total: DAY.length,
    clock: "",
    title: "",
    expect: "",
    chips: { synced: 0, pending: 0, skipped: 0, failed: 0 },
    log: [],
  };
  const emit = () => opts.onProgress?.({ ...progress, chips: { ...progress.chips }, log: [...progress.log] });
  const refreshChips = async () => {
    progress.chips = tally(await magento.mirror(), state.tracked);
  };

  const st = await magento.state();
  if (!st.provider_connected)
    throw new Error("the simulated store is not paired with Ledger: pair it first (Byte8 Connection), or run `npm run demo`");

  try {
    for (const [i, beat] of DAY.entries()) {
      Object.assign(progress, { beat: i + 1, clock: beat.clock, title: beat.title, expect: beat.expect });
      progress.log.push(`${beat.clock}  ${beat.title}`);
      emit();
      const ctx: BeatContext = { magento, sage, state, note: (line) => progress.log.push(`       ${line}`) };
      await beat.act(ctx);
      await magento.drain();
      await refreshChips();
      progress.log.push(`       expect ${beat.expect}`);
      emit();
      await new Promise((r) => setTimeout(r, opts.fast ? FAST_PAUSE_MS : PAUSE_MS));
    }

    progress.phase = "settling";
    Object.assign(progress, { clock: "17:30", title: "Closing: waiting for the chips to settle", expect: "" });
    emit();
    const until = Date.now() + (opts.settleMs ?? 180_000);
    let settled = false;
    while (Date.now() < until) {
      await magento.drain();
      await refreshChips();
      emit();
      if (progress.chips.pending === 0) {
        settled = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
    progress.phase = "done";
    progress.log.push(settled ? `done: ${formatChips(progress.chips)}` : `still settling after the wait: ${formatChips(progress.chips)}`);
    emit();
    return {
      chips: progress.chips,
      invoices: state.tracked.filter((t) => t.entity_type === "invoice").length,
      creditMemos: state.tracked.filter((t) => t.entity_type === "creditmemo").length,
      settled,
      elapsedMs: Date.now() - t0,
    };
  } catch (e) {
    progress.phase = "failed";
    progress.error = e instanceof Error ? e.message : String(e);
    progress.log.push(`stopped: ${progress.error}`);
    emit();
    throw e;
  }
}

/** One play at a time per simulator process, for the admin UI's "Play a day" button. */
let current: { progress: Progress | null; promise: Promise<unknown> } | null = null;

export function startBackgroundPlay(opts: Omit<PlayOptions, "onProgress">): { started: boolean } {
  if (current && current.progress?.phase !== "done" && current.progress?.phase !== "failed") return { started: false };
  // Running from the start, not only after the first beat: the page rendered right after the button's
  // redirect must already show the read-out and reload itself, however slowly the first beat comes.
  const slot: { progress: Progress | null; promise: Promise<unknown> } = { progress: startingProgress(), promise: Promise.resolve() };
  slot.promise = playDay({ ...opts, onProgress: (p) => (slot.progress = p) }).catch((e: Error) => {
    slot.progress = { ...(slot.progress ?? startingProgress()), phase: "failed", error: e.message };
  });
  current = slot;
  return { started: true };
}

function startingProgress(): Progress {
  return {
    phase: "running",
    beat: 0,
    total: DAY.length,
    clock: "",
    title: "starting",
    expect: "",
    chips: { synced: 0, pending: 0, skipped: 0, failed: 0 },
    log: [],
  };
}

export function backgroundProgress(): Progress | null {
  return current?.progress ?? null;
}
