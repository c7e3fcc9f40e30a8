import type { ServerResponse } from "node:http";
import { z } from "zod";
import { phpJsonEncode } from "../module/php-json.ts";

/**
 * A store that is down, for testing what the ledger does when Magento stops answering. Set through
 * the admin API (`POST /admin/api/outage`); applies to every `/rest/…` request, Byte8 routes and
 * pairing alike, as a real outage would:
 * - `error`: HTTP 500 with Magento's production-mode body (its masked "Internal Error" message,
 *   or the `message` given, as a module exception would render it);
 * - `maintenance`: HTTP 503 with the HTML page `bin/magento maintenance:enable` serves;
 * - `down`: the connection is reset before any answer (web server or PHP-FPM gone).
 */

export const outageSchema = z.object({
  mode: z.enum(["none", "error", "maintenance", "down"]),
  message: z.string().min(1).max(500).optional(),
});
export type Outage = z.infer<typeof outageSchema>;

export const NO_OUTAGE: Outage = { mode: "none" };

const MASKED = {
  message: "Internal Error. Details are available in Magento log file. Report ID: %1",
  parameters: ["webapi-6a1f0c2e9b3d4"],
};

const MAINTENANCE_PAGE =
  "<!doctype html><html><head><title>Error 503: Service Unavailable</title></head><body><h1>Service Temporarily Unavailable</h1>" +
  "<p>The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.</p></body></html>";

/** Answers (or drops) the request as the outage would; false when there is no outage. */
export function answerDuringOutage(outage: Outage, res: ServerResponse): boolean {
  switch (outage.mode) {
    case "none":
      return false;
    case "down":
      res.socket?.destroy();
      return true;
    case "maintenance":
      res.writeHead(503, { "Content-Type": "text/html; charset=UTF-8", "Retry-After": "3600" });
      res.end(MAINTENANCE_PAGE);
      return true;
    case "error": {
      const text = phpJsonEncode(outage.message ? { message: outage.message } : MASKED, { unescapedSlashes: false });
      res.writeHead(500, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
      res.end(text);
      return true;
    }
  }
}
