/**
 * What a merchant's browser does at Sage during Connect Sage, done over HTTP against the emulator:
 * open the authorize URL Ledger built, submit the consent form for one business, and read the
 * `code` and `state` off the redirect back to Ledger's callback.
 */

export interface ConsentResult {
  code: string | null;
  state: string | null;
  error: string | null;
}

function hiddenInputs(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    out[m[1]] = m[2]
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  }
  return out;
}

export async function authorizeInEmulator(authorizeUrl: string, businessId: string): Promise<ConsentResult> {
  const page = await fetch(authorizeUrl, { redirect: "manual" });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`the Sage emulator refused the authorize request (${page.status}): ${html.slice(0, 200)}`);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action || !html.includes(`value="${businessId}"`)) throw new Error(`the consent page offers no business ${businessId}`);
  const form = new URLSearchParams({ ...hiddenInputs(html), business_id: businessId, decision: "allow" });
  const res = await fetch(new URL(action, authorizeUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    redirect: "manual",
  });
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) throw new Error(`the consent form did not redirect back (${res.status})`);
  const back = new URL(location);
  return { code: back.searchParams.get("code"), state: back.searchParams.get("state"), error: back.searchParams.get("error") };
}
