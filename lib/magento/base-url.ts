/**
 * Base URLs the merchant gives us (their Magento) are stored and used without a trailing slash,
 * exactly as Magento itself stores `byte8/client/base_url`; paths such as `/index.php` are kept.
 */

/** Trims, strips trailing slashes and requires an absolute http(s) URL without credentials, query or fragment. */
export function normaliseBaseUrl(raw: string): string | null {
  const trimmed = raw.trim().replace(/\/+$/, "");
  try {
    const url = new URL(trimmed);
    if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password || url.search || url.hash) return null;
    return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  } catch {
    return null;
  }
}
