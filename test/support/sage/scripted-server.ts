import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP server on 127.0.0.1 (ephemeral port) for the Sage client's integration tests: each
 * test scripts Sage's answers, and every request is recorded so headers and bodies can be asserted.
 */

export type RecordedRequest = { method: string; url: URL; headers: IncomingHttpHeaders; body: string };
export type ScriptedHandler = (req: RecordedRequest, res: ServerResponse) => void;

export type TestServer = {
  origin: string;
  requests: RecordedRequest[];
  /** Replaces the handler, so one server can serve several tests. */
  handle(handler: ScriptedHandler): void;
  close(): Promise<void>;
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

export async function startTestServer(): Promise<TestServer> {
  let handler: ScriptedHandler = (_req, res) => sendJson(res, 500, [{ $dataCode: "UnexpectedError" }]);
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        url: new URL(req.url ?? "/", "http://127.0.0.1"),
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      handler(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    handle(h) {
      handler = h;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Handlers that never answer (timeout tests) leave sockets open; drop them so close() returns.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
