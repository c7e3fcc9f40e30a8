import type { IncomingMessage, ServerResponse } from "node:http";

/** One entry of Sage's error array (sage-api §3.7). */
export interface SageErrorItem {
  $severity: "error";
  $dataCode: string;
  $message: string;
  $source: string;
}

/** Thrown anywhere in a handler; the pipeline renders it as Sage's error array. */
export class SageError extends Error {
  constructor(
    readonly status: number,
    readonly items: SageErrorItem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(items.map((i) => `${i.$source}: ${i.$message}`).join("; "));
  }
}

export const item = (dataCode: string, message: string, source = ""): SageErrorItem => ({
  $severity: "error",
  $dataCode: dataCode,
  $message: message,
  $source: source,
});

export const invalid = (source: string, message: string): SageError => new SageError(422, [item("RecordInvalid", message, source)]);
export const notFound = (): SageError => new SageError(404, [item("RecordNotFound", "Couldn't find record.")]);
export const unauthorized = (message = "Access denied."): SageError => new SageError(401, [item("AuthorizationFailure", message)]);
export const forbidden = (): SageError =>
  new SageError(403, [item("MultiUserAccessDenied", "The current user is not allowed to access that resource with that method.")]);

export interface Req {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  raw: IncomingMessage;
  body: string;
  /** Set by a `wrong_total` fault: the document created by this request stores a wrong total. */
  wrongTotalBy?: number;
}

export async function readBody(req: IncomingMessage, limit = 5_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new SageError(413, [item("RequestTooLarge", "Request body too large.")]);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Parses a JSON body; malformed JSON is a 400 like Rails' ParseError. */
export function parseJson(body: string): unknown {
  if (body.trim() === "") return {};
  try {
    return JSON.parse(body);
  } catch {
    throw new SageError(400, [item("InvalidJson", "The request body could not be parsed as JSON.")]);
  }
}

export const escapeHtml = (s: unknown): string =>
  String(s ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

/** What every route returns; the dispatcher sends it (after any after-phase fault). */
export interface Reply {
  status: number;
  json?: unknown;
  html?: string;
  location?: string;
  headers?: Record<string, string>;
}

export const errorReply = (err: SageError): Reply => ({ status: err.status, json: err.items, headers: err.headers });

export function send(res: ServerResponse, reply: Reply): void {
  if (reply.location) {
    res.writeHead(reply.status, { location: reply.location, "content-length": 0, ...reply.headers });
    res.end();
  } else if (reply.html !== undefined) {
    res.writeHead(reply.status, { "content-type": "text/html; charset=utf-8", ...reply.headers });
    res.end(reply.html);
  } else if (reply.json !== undefined) {
    sendJson(res, reply.status, reply.json, reply.headers);
  } else {
    res.writeHead(reply.status, reply.headers);
    res.end();
  }
}
