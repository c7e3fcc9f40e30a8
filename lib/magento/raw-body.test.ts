import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isAppError } from "@/lib/errors";
import { readRawBody } from "./raw-body";

function streamed(chunks: Uint8Array[]): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
  return new Request("http://x/", { method: "POST", body, duplex: "half" } as RequestInit);
}

const tooLarge = (e: unknown) => isAppError(e) && e.code === "payload_too_large" && e.status === 413;

describe("readRawBody", () => {
  it("returns the exact bytes, including non-UTF-8 ones", async () => {
    const bytes = Buffer.from([0x7b, 0xff, 0x7d]);
    assert.deepEqual(await readRawBody(streamed([bytes.subarray(0, 1), bytes.subarray(1)]), 10), bytes);
  });

  it("refuses a declared Content-Length over the cap before reading", async () => {
    const req = new Request("http://x/", { method: "POST", body: "x".repeat(11), headers: { "content-length": "11" } });
    await assert.rejects(readRawBody(req, 10), tooLarge);
    assert.equal(req.bodyUsed, false);
  });

  it("cuts off a streamed body as soon as it passes the cap", async () => {
    await assert.rejects(readRawBody(streamed([new Uint8Array(6), new Uint8Array(6)]), 10), tooLarge);
  });

  it("a body exactly at the cap is accepted; no body is empty", async () => {
    assert.equal((await readRawBody(streamed([new Uint8Array(10)]), 10)).length, 10);
    assert.equal((await readRawBody(new Request("http://x/"), 10)).length, 0);
  });
});
