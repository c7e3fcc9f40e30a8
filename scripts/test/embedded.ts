import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../stack/net";
import { startEmbeddedPostgres } from "../stack/postgres";
import { embeddedTestEnv } from "./databases";

/**
 * An embedded PostgreSQL for one test run: a new cluster in a temp directory on a free loopback
 * port, removed again when the run ends. A fresh cluster per run (rather than the demo's resumable
 * one) means two runs never share or fight over a data directory.
 */

export interface TestPostgres {
  /** Variables to hand every test layer (see embeddedTestEnv). */
  env: Record<string, string>;
  port: number;
  stop(): Promise<void>;
}

export async function startTestPostgres(env: Record<string, string | undefined>, log: (line: string) => void): Promise<TestPostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ledger-test-pg-"));
  // Under root the server runs as the `postgres` user, which must be able to walk into the directory.
  chmodSync(dir, 0o711);
  const port = await freePort();
  const lines: string[] = [];
  let server;
  try {
    server = await startEmbeddedPostgres({ dir: path.join(dir, "cluster"), port, onLog: (l) => lines.push(l) });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}${lines.length ? `\n${lines.slice(-8).join("\n")}` : ""}`);
  }
  log(`embedded PostgreSQL listening on 127.0.0.1:${port} (${server.clusterDir})`);
  return {
    env: embeddedTestEnv(env, server.url),
    port,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
      if (server.clusterDir !== path.join(dir, "cluster")) rmSync(server.clusterDir, { recursive: true, force: true });
    },
  };
}
