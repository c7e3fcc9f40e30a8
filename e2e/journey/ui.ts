import { expect, test, type Page, type Request } from "@playwright/test";

/** Browser helpers for the acceptance journey: screenshots, sign-up, chip history, action capture. */

export async function shot(page: Page, name: string): Promise<void> {
  await test.info().attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

export interface Person {
  name: string;
  email: string;
  password: string;
}

/** Sign up through /sign-up: a new user who owns a new workspace. */
export async function signUp(page: Page, appUrl: string, who: Person, workspace: string): Promise<void> {
  await page.goto(`${appUrl}/sign-up`);
  await page.getByLabel("Your name").fill(who.name);
  await page.getByLabel("Work email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByLabel("Workspace name").fill(workspace);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: workspace, exact: true })).toBeVisible();
}

interface ChipWatch {
  __journeyChips: Record<string, string[]>;
  __journeyLoaded: string;
}

/**
 * Records every chip variant each `tr[data-entity-id]` row shows, as the page's live refresh
 * re-renders it, and marks the document so a full reload can be detected afterwards.
 */
export async function watchChips(page: Page, marker: string): Promise<void> {
  await page.evaluate((mark) => {
    const w = window as unknown as ChipWatch;
    w.__journeyLoaded = mark;
    w.__journeyChips = {};
    const record = () => {
      for (const tr of document.querySelectorAll("tr[data-entity-id]")) {
        const id = tr.getAttribute("data-entity-id") ?? "";
        const chip = tr.querySelector("[data-chip]")?.getAttribute("data-chip");
        if (!chip) continue;
        const seen = (w.__journeyChips[id] ??= []);
        if (seen.at(-1) !== chip) seen.push(chip);
      }
    };
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["data-chip"],
    });
    record();
  }, marker);
}

/** What watchChips saw: chip variants per entity id in order, and the document's marker. */
export function chipHistory(page: Page): Promise<{ chips: Record<string, string[]>; loaded: string | undefined }> {
  return page.evaluate(() => {
    const w = window as unknown as Partial<ChipWatch>;
    return { chips: w.__journeyChips ?? {}, loaded: w.__journeyLoaded };
  });
}

export interface CapturedAction {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Captures the next server-action POST the page sends (to replay it later with another session). */
export function captureNextAction(page: Page): () => CapturedAction | null {
  let captured: CapturedAction | null = null;
  const onRequest = (r: Request) => {
    if (captured || r.method() !== "POST" || !r.headers()["next-action"]) return;
    page.off("request", onRequest);
    const url = r.url();
    const body = r.postData() ?? "";
    void r.allHeaders().then((headers) => (captured = { url, headers, body }));
  };
  page.on("request", onRequest);
  return () => captured;
}

/** Replays a captured action with `page`'s own cookies. */
export async function replayAction(page: Page, action: CapturedAction): Promise<{ status: number; text: string }> {
  const headers = Object.fromEntries(
    Object.entries(action.headers).filter(([k]) => !["cookie", "content-length", "host"].includes(k.toLowerCase()) && !k.startsWith(":")),
  );
  const res = await page.request.post(action.url, { headers, data: action.body });
  return { status: res.status(), text: await res.text() };
}
