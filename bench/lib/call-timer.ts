import diagnostics from "node:diagnostics_channel";
import type { ClientRequest, IncomingMessage } from "node:http";

/**
 * Round-trip times of the outgoing HTTP calls this process makes, grouped by destination origin,
 * from Node's own diagnostics channels: `http.client.*` for node:http (Ledger's guarded Magento
 * client, the simulator's webhook sender) and `undici:request:*` for fetch (Ledger's Sage client).
 * Nothing in the code under test is wrapped or changed.
 */

export interface Call {
  origin: string;
  method: string;
  path: string;
  status: number;
  startedAt: number;
  finishedAt: number;
}

interface UndiciRequest {
  origin: string | URL;
  method: string;
  path: string;
}

export class CallTimer {
  readonly calls: Call[] = [];
  private readonly open = new WeakMap<object, Omit<Call, "finishedAt" | "status">>();
  private readonly handlers: Array<[string, (m: unknown) => void]> = [];

  start(): this {
    this.on("http.client.request.start", (m) => {
      const { request } = m as { request: ClientRequest };
      const host = request.getHeader("host") ?? `${request.host}`;
      this.open.set(request, {
        origin: `${request.protocol}//${String(host)}`,
        method: request.method,
        path: request.path,
        startedAt: performance.now(),
      });
    });
    this.on("http.client.response.finish", (m) => {
      const { request, response } = m as { request: ClientRequest; response: IncomingMessage };
      const begun = this.open.get(request);
      if (!begun) return;
      this.open.delete(request);
      // The response object is handed over when its headers arrive; its body ends shortly after.
      const done = () => this.calls.push({ ...begun, status: response.statusCode ?? 0, finishedAt: performance.now() });
      if (response.complete) done();
      else response.once("end", done);
    });
    this.on("undici:request:create", (m) => {
      const { request } = m as { request: UndiciRequest };
      this.open.set(request, {
        origin: String(request.origin).replace(/\/$/, ""),
        method: request.method,
        path: request.path,
        startedAt: performance.now(),
      });
    });
    this.on("undici:request:headers", (m) => {
      const { request, response } = m as { request: UndiciRequest & { __status?: number }; response: { statusCode: number } };
      request.__status = response.statusCode;
    });
    this.on("undici:request:trailers", (m) => {
      const { request } = m as { request: UndiciRequest & { __status?: number } };
      const begun = this.open.get(request);
      if (!begun) return;
      this.open.delete(request);
      this.calls.push({ ...begun, status: request.__status ?? 0, finishedAt: performance.now() });
    });
    return this;
  }

  private on(name: string, fn: (m: unknown) => void): void {
    diagnostics.subscribe(name, fn);
    this.handlers.push([name, fn]);
  }

  stop(): void {
    for (const [name, fn] of this.handlers) diagnostics.unsubscribe(name, fn);
    this.handlers.length = 0;
  }

  /** Calls to `origin` that started at or after `since` (performance.now() clock). */
  to(origin: string, since = 0): Call[] {
    return this.calls.filter((c) => c.origin === origin && c.startedAt >= since);
  }
}
