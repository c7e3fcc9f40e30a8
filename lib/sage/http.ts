import { SyncError } from "@/lib/errors";

/**
 * The one place a Sage request leaves the process. Transport failures (timeout, refused
 * connection, reset) become `http` — the request may or may not have reached Sage, which is
 * exactly why every POST carries an idempotency_id.
 */

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export const DEFAULT_TIMEOUT_MS = 30_000;

export type RawResponse = { status: number; headers: Headers; text: string };

export async function sendRequest(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  what: string,
): Promise<RawResponse> {
  try {
    // The body is read under the same deadline: a server that stalls mid-body is as dead as one that never answers.
    const res = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    const reason = timedOut ? `timed out after ${timeoutMs} ms` : `failed: ${networkReason(e)}`;
    throw new SyncError("http", `${what} ${reason}`, { cause: e });
  }
}

function networkReason(e: unknown): string {
  const cause = e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === "string") return cause.code;
  if (cause && typeof cause.message === "string") return cause.message;
  return e instanceof Error ? e.message : String(e);
}
