import { AppError } from "@/lib/errors";

/**
 * The exact request body bytes (signatures and the derived idempotency key are over these), read
 * with a size cap: a declared Content-Length over the cap is refused before reading, and a body
 * that streams past it is cut off as soon as it does.
 */
export async function readRawBody(request: Request, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new AppError("payload_too_large", `The request body is larger than ${Math.floor(maxBytes / 1024)} KB.`);
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
