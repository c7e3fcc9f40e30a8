import assert from "node:assert/strict";
import net from "node:net";
import { test } from "node:test";
import { embeddedTestEnv, probeServer, TEST_DATABASE_VARS } from "./databases";

const embeddedUrl = (db: string) => `postgresql://postgres:pw@127.0.0.1:61234/${db}`;

test("with nothing set, every test database gets its default name on the embedded server", () => {
  const env = embeddedTestEnv({}, embeddedUrl);
  assert.deepEqual(env, {
    TEST_DATABASE_URL: embeddedUrl("ledger_test"),
    DATABASE_URL: embeddedUrl("ledger_test"),
    MAGENTO_SIM_TEST_DATABASE_URL: embeddedUrl("ledger_msim_test"),
    INNGEST_LOCAL_TEST_DATABASE_URL: embeddedUrl("ledger_exec_test"),
    PRISMA_OFFLINE_TEST_ADMIN_URL: embeddedUrl("postgres"),
  });
  // Unset, the Sage emulator's tests follow DATABASE_URL, which is the embedded server already.
  assert.equal("SAGE_EMU_DATABASE_URL" in env, false);
});

test("names given for a (missing) server are kept; only host, port and credentials change", () => {
  const dead = "postgresql://postgres@127.0.0.1:1";
  const env = embeddedTestEnv(
    {
      TEST_DATABASE_URL: `${dead}/ledger_w9_test`,
      MAGENTO_SIM_TEST_DATABASE_URL: `${dead}/ledger_w9_msim_test`,
      INNGEST_LOCAL_TEST_DATABASE_URL: `${dead}/ledger_w9_exec_test`,
      SAGE_EMU_DATABASE_URL: `${dead}/ledger_w9_sage_test`,
      PRISMA_OFFLINE_TEST_ADMIN_URL: `${dead}/postgres`,
      UNRELATED_URL: `${dead}/elsewhere`,
    },
    embeddedUrl,
  );
  for (const v of TEST_DATABASE_VARS) assert.match(env[v.name], /^postgresql:\/\/postgres:pw@127\.0\.0\.1:61234\//, v.name);
  assert.equal(env.TEST_DATABASE_URL, embeddedUrl("ledger_w9_test"));
  assert.equal(env.SAGE_EMU_DATABASE_URL, embeddedUrl("ledger_w9_sage_test"));
  assert.equal(env.DATABASE_URL, env.TEST_DATABASE_URL);
  assert.equal(env.UNRELATED_URL, undefined);
});

test("probeServer: a listening port is up, a closed one is not (refused)", async () => {
  const srv = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  assert.deepEqual(await probeServer(`postgresql://postgres@127.0.0.1:${port}/x_test`), { up: true });
  await new Promise<void>((r) => srv.close(() => r()));
  assert.deepEqual(await probeServer(`postgresql://postgres@127.0.0.1:${port}/x_test`), { up: false, reason: "ECONNREFUSED" });
});
