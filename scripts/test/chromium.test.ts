import assert from "node:assert/strict";
import { test } from "node:test";
import { ensureChromium, findChromium, INSTALL_HINT, SYSTEM_CHROMIUM, type ChromiumDeps } from "./chromium";

const OWN = "/home/dev/.cache/ms-playwright/chromium-1/chrome-linux64/chrome";
const deps = (present: string[]): ChromiumDeps => ({ exists: (p) => present.includes(p), playwrightPath: () => OWN });

test("CHROMIUM_PATH wins, then Debian's Chromium, then Playwright's own", () => {
  assert.deepEqual(findChromium({ CHROMIUM_PATH: "/opt/chrome" }, deps(["/opt/chrome", SYSTEM_CHROMIUM])), {
    path: "/opt/chrome",
    source: "CHROMIUM_PATH",
  });
  assert.deepEqual(findChromium({}, deps([SYSTEM_CHROMIUM, OWN])), { path: SYSTEM_CHROMIUM, source: "system" });
  assert.deepEqual(findChromium({}, deps([OWN])), { path: OWN, source: "playwright" });
});

test("a CHROMIUM_PATH that does not exist is an error, not a silent fallback", () => {
  const r = findChromium({ CHROMIUM_PATH: "/nope/chrome" }, deps([SYSTEM_CHROMIUM]));
  assert.deepEqual(r, { error: "CHROMIUM_PATH is /nope/chrome, which does not exist" });
});

test("with none installed: one install attempt, then the browser it installed", () => {
  const present: string[] = [];
  let attempts = 0;
  const r = ensureChromium(
    {},
    () => undefined,
    deps(present),
    () => {
      attempts += 1;
      present.push(OWN);
      return true;
    },
  );
  assert.equal(attempts, 1);
  assert.deepEqual(r, { path: OWN, source: "playwright" });
});

test("with none installed and no way to install: one line saying what to install", () => {
  const r = ensureChromium(
    {},
    () => undefined,
    deps([]),
    () => false,
  );
  assert.deepEqual(r, { error: INSTALL_HINT });
  assert.equal(INSTALL_HINT.includes("\n"), false);
  assert.match(INSTALL_HINT, /apt-get install chromium/);
  assert.match(INSTALL_HINT, /npx playwright install chromium/);
  assert.match(INSTALL_HINT, /CHROMIUM_PATH/);
});

test("nothing is installed when a browser is there, or when CHROMIUM_PATH names a missing one", () => {
  const never = () => assert.fail("must not install");
  assert.deepEqual(
    ensureChromium({}, () => undefined, deps([SYSTEM_CHROMIUM]), never),
    { path: SYSTEM_CHROMIUM, source: "system" },
  );
  assert.ok("error" in ensureChromium({ CHROMIUM_PATH: "/nope" }, () => undefined, deps([]), never));
});
