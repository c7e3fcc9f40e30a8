import type { HealthBody } from "./connection.ts";

/** The dashboard HealthTile block (wire-protocol §4.4), as pure data. */

export type TileState = "disconnected" | "unknown" | "error" | "warning" | "connected";
export type TileColour = "grey" | "red" | "amber" | "green";

export interface TileData {
  state: TileState;
  colour: TileColour;
  headline: string;
  last_run: string | null;
  last_run_relative: string;
  pending: number | null;
  failed_24h: number | null;
  /** Where a click goes: the Sage sync iframe, or the config page when setup/re-pairing is needed. */
  click: "sync" | "config";
}

const COLOURS: Record<TileState, TileColour> = {
  disconnected: "grey",
  unknown: "grey",
  error: "red",
  warning: "amber",
  connected: "green",
};

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string => (v === undefined || v === null ? "" : String(v));
const intOrNull = (v: unknown): number | null => (v === undefined || v === null ? null : Math.trunc(Number(v)) || 0);

export function formatRelative(iso: string | null, nowSeconds: number): string {
  if (iso === null || iso === "") return "No syncs yet";
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "Unknown";
  const delta = Math.max(0, nowSeconds - Math.floor(then / 1000));
  if (delta < 60) return "just now";
  if (delta < 3600) return `${Math.floor(delta / 60)} minutes ago`;
  if (delta < 86400) return `${Math.floor(delta / 3600)} hours ago`;
  return `${Math.floor(delta / 86400)} days ago`;
}

export function tileData(providerConnected: boolean, health: HealthBody, nowSeconds: number): TileData {
  const make = (
    state: TileState,
    headline: string,
    click: TileData["click"],
    lastRun: string | null = null,
    pending: number | null = null,
    failed: number | null = null,
  ): TileData => ({
    state,
    colour: COLOURS[state],
    headline,
    last_run: lastRun,
    last_run_relative: formatRelative(lastRun, nowSeconds),
    pending,
    failed_24h: failed,
    click,
  });
  if (!providerConnected) return make("disconnected", "Not connected to Sage", "config");
  if (Object.keys(health).length === 0) return make("unknown", "Ledger unreachable", "sync");
  const magentoStatus = str(obj(health.tenant).magento_connection_status);
  if (magentoStatus === "token_revoked") return make("error", "Magento disconnected — re-pair required", "config");

  const binding = obj(health.binding);
  const sync = obj(health.sync);
  const bindingStatus = str(binding.status);
  const region = str(binding.region).toUpperCase();
  const pending = intOrNull(sync.pending_count);
  const failed = intOrNull(sync.failed_24h);
  const lastRun = sync.last_run_at === undefined || sync.last_run_at === null ? null : String(sync.last_run_at);

  if (magentoStatus === "pending" || bindingStatus === "") {
    return make("warning", "Finish setup at ledger.byte8.io", "config", lastRun, pending, failed);
  }
  let state: TileState = "connected";
  if (bindingStatus !== "active" || (failed !== null && failed > 0)) state = "error";
  else if (pending !== null && pending > 0) state = "warning";
  const headline =
    state === "error" && bindingStatus !== "active"
      ? `Binding ${bindingStatus || "unknown"}`
      : region !== ""
        ? `Connected to Sage (${region})`
        : "Connected to Sage";
  return make(state, headline, "sync", lastRun, pending, failed);
}
