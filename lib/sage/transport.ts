import { z } from "zod";
import { SyncError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import type { SageEndpoints } from "./config";
import { classifySageResponse, toSyncError } from "./errors";
import { DEFAULT_TIMEOUT_MS, sendRequest, type FetchLike } from "./http";
import { listEnvelope, type SagePage } from "./schemas/common";

/**
 * Authenticated JSON transport for the Sage API: bearer + `X-Business` on every call, one forced
 * token refresh on a 401, every non-2xx classified into a `SyncError`, every 2xx body checked
 * against its zod schema (`serde` when it is not what Sage documents), and `$next` pagination.
 * Retrying 429/5xx is deliberately not done here: the workflow engine owns retries and backoff.
 */

export type GetAccessToken = (opts?: { forceRefresh?: boolean }) => Promise<string>;

export type SageTransportOptions = {
  endpoints: Pick<SageEndpoints, "apiBaseUrl">;
  /**
   * The business every call is scoped to. `null` only between OAuth connect and the merchant
   * choosing a business: then only `/businesses` may be called, because without `X-Business` Sage
   * silently uses the user's lead business (sage-api §3.2).
   */
  businessId: string | null;
  getAccessToken: GetAccessToken;
  fetchImpl?: FetchLike;
  timeoutMs?: number;
};

export type Query = Record<string, string | number | boolean | null | undefined>;

/** Sage's maximum page size (sage-api §3.4). */
export const MAX_ITEMS_PER_PAGE = 200;
const MAX_PAGES = 1000;

const apiLog = childLog({ component: "sage.api" });

/** The first few zod issues in zod's own words (`✖ message → at path`), for a readable `serde`/`validation` message. */
export function describeIssues(error: z.ZodError, limit = 3): string {
  const more = error.issues.length > limit ? `\n(+${error.issues.length - limit} more)` : "";
  return z.prettifyError(new z.ZodError(error.issues.slice(0, limit))) + more;
}

export function createSageTransport(opts: SageTransportOptions) {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const base = new URL(opts.endpoints.apiBaseUrl.replace(/\/+$/, "") + "/");

  function urlFor(path: string, query: Query = {}): URL {
    const url = new URL(path.replace(/^\/+/, ""), base);
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    }
    return url;
  }

  /**
   * `$next` is documented as a path relative to the API root; accept it with or without the
   * `/v3.1` prefix or as an absolute URL, but never follow it to another origin (it would carry
   * our bearer token there). Parameters Sage dropped from `$next` are carried over.
   */
  function resolveNext(next: string, previous: URL): URL {
    let url: URL;
    if (/^https?:\/\//i.test(next)) url = new URL(next);
    else if (next.startsWith(base.pathname)) url = new URL(next, base.origin);
    else url = new URL(next.replace(/^\/+/, ""), base);
    if (url.origin !== base.origin) {
      throw new SyncError("serde", `Sage pagination pointed at another origin (${url.origin})`);
    }
    for (const [k, v] of previous.searchParams) {
      if (k !== "page" && !url.searchParams.has(k)) url.searchParams.set(k, v);
    }
    return url;
  }

  async function token(forceRefresh: boolean): Promise<string> {
    try {
      return await opts.getAccessToken(forceRefresh ? { forceRefresh: true } : undefined);
    } catch (e) {
      throw toSyncError(e);
    }
  }

  async function send(method: string, url: URL, body: unknown, accessToken: string) {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${accessToken}`,
      Accept: "application/json",
    };
    if (opts.businessId) headers["X-Business"] = opts.businessId;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return sendRequest(
      fetchImpl,
      url.toString(),
      { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
      timeoutMs,
      `Sage ${method} ${url.pathname}`,
    );
  }

  async function requestUrl<S extends z.ZodType>(method: string, url: URL, schema: S, body?: unknown): Promise<z.output<S>> {
    const relative = url.pathname.slice(base.pathname.length - 1);
    if (!opts.businessId && !relative.startsWith("/businesses")) {
      throw new SyncError("internal", `Sage ${method} ${relative} needs a selected business`);
    }
    let res = await send(method, url, body, await token(false));
    if (res.status === 401) {
      // Access tokens live 300 s; one forced refresh covers expiry between custody's check and this call.
      res = await send(method, url, body, await token(true));
    }
    if (res.status < 200 || res.status >= 300) {
      const err = classifySageResponse({ status: res.status, rawBody: res.text, retryAfter: res.headers.get("retry-after") });
      apiLog.warn(
        { businessId: opts.businessId, method, path: relative, status: res.status, dataCode: err.providerCode, syncClass: err.syncClass },
        "sage request failed",
      );
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(res.text);
    } catch {
      throw new SyncError("serde", `Sage ${method} ${relative} returned a body that is not JSON`, { status: res.status });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new SyncError("serde", `Sage ${method} ${relative} returned an unexpected shape:\n${describeIssues(parsed.error)}`, {
        status: res.status,
        details: { issues: parsed.error.issues.slice(0, 20) },
      });
    }
    return parsed.data;
  }

  function request<S extends z.ZodType>(
    method: "GET" | "POST" | "PUT",
    path: string,
    schema: S,
    init: { query?: Query; body?: unknown } = {},
  ): Promise<z.output<S>> {
    return requestUrl(method, urlFor(path, init.query), schema, init.body);
  }

  /** One page of a list endpoint, envelope normalised. */
  function getPage<S extends z.ZodType>(path: string, item: S, query: Query = {}): Promise<SagePage<z.output<S>>> {
    return requestUrl("GET", urlFor(path, query), listEnvelope(item));
  }

  /** Every item of a list endpoint, following `$next` at 200 items per page. */
  async function listAll<S extends z.ZodType>(path: string, item: S, query: Query = {}): Promise<z.output<S>[]> {
    let url = urlFor(path, { ...query, items_per_page: MAX_ITEMS_PER_PAGE });
    const seen = new Set<string>();
    const items: z.output<S>[] = [];
    for (let pages = 1; ; pages++) {
      seen.add(url.toString());
      const page = await requestUrl("GET", url, listEnvelope(item));
      items.push(...page.items);
      if (!page.next) return items;
      const next = resolveNext(page.next, url);
      // Sage answers a page past the end with the last page; a repeated `$next` would loop forever.
      if (seen.has(next.toString())) throw new SyncError("serde", `Sage pagination of ${path} repeats ${page.next}`);
      if (pages >= MAX_PAGES) throw new SyncError("internal", `Sage pagination of ${path} exceeded ${MAX_PAGES} pages`);
      url = next;
    }
  }

  return { request, getPage, listAll };
}

export type SageTransport = ReturnType<typeof createSageTransport>;
