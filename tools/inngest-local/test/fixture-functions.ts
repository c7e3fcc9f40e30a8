import { Inngest, NonRetriableError, RetryAfterError } from "inngest";
import type pg from "pg";

/**
 * The contract suite's functions: plain Inngest v4 functions, written the way product code is.
 * Side effects are recorded in `inngest_local_fixture.calls` so the tests can count executions
 * across app restarts.
 */
export function fixtureFunctions(pool: pg.Pool, withCron: boolean) {
  const inngest = new Inngest({ id: "fixture" });
  const rec = async (tag: string, runId: string, attempt: number, info: Record<string, unknown> = {}) => {
    await pool.query("INSERT INTO inngest_local_fixture.calls (tag, run_id, attempt, info) VALUES ($1, $2, $3, $4)", [
      tag,
      runId,
      attempt,
      JSON.stringify(info),
    ]);
  };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const retrySteps = inngest.createFunction(
    { id: "retry-steps", retries: 3, triggers: [{ event: "t/retry" }] },
    async ({ step, runId, attempt }) => {
      const a = await step.run("s1", async () => (await rec("retry.s1", runId, attempt), 1));
      const b = await step.run("s2", async () => {
        await rec("retry.s2", runId, attempt);
        if (attempt < 2) throw new Error("transient s2 failure");
        return 2;
      });
      const c = await step.run("s3", async () => (await rec("retry.s3", runId, attempt), 3));
      return { a, b, c };
    },
  );

  const sleeper = inngest.createFunction({ id: "sleeper", triggers: [{ event: "t/sleep" }] }, async ({ step }) => {
    const t0 = await step.run("t0", () => Date.now());
    await step.sleep("nap", "2s");
    const t1 = await step.run("t1", () => Date.now());
    return { sleptMs: t1 - t0 };
  });

  const parallel = inngest.createFunction({ id: "parallel", triggers: [{ event: "t/parallel" }] }, async ({ step }) => {
    const [x, y] = await Promise.all([step.run("x", () => "x"), step.run("y", () => "y")]);
    const loop: number[] = [];
    for (let i = 0; i < 3; i++) loop.push(await step.run("loop", () => i));
    return { x, y, loop };
  });

  const doubler = inngest.createFunction({ id: "doubler", triggers: [{ event: "t/double" }] }, async ({ event }) => {
    return { doubled: Number((event.data as { n: number }).n) * 2 };
  });

  const orchestrator = inngest.createFunction({ id: "orchestrator", triggers: [{ event: "t/orchestrate" }] }, async ({ step, event }) => {
    const sent = await step.sendEvent("send", { name: "t/noop", data: { orderId: event.data.orderId } });
    const inv = await step.invoke("inv", { function: doubler, data: { n: 21 } });
    const approved = await step.waitForEvent("approve", { event: "t/approved", match: "data.orderId", timeout: "30s" });
    return { sentIds: sent.ids.length, inv, approved: approved?.data ?? null };
  });

  const waitTimeout = inngest.createFunction({ id: "wait-timeout", triggers: [{ event: "t/wait-timeout" }] }, async ({ step }) => {
    const result = await step.waitForEvent("never", { event: "t/never", timeout: "1s" });
    return { result };
  });

  type IntervalCtx = {
    step: { run: (id: string, fn: () => Promise<void>) => Promise<unknown> };
    event: { data: Record<string, unknown> };
    runId: string;
    attempt: number;
  };
  const interval =
    (tag: string) =>
    async ({ step, event, runId, attempt }: IntervalCtx) => {
      await step.run("work", async () => {
        const start = Date.now();
        await pause(250);
        await rec(tag, runId, attempt, { start, end: Date.now(), key: event.data.tenant ?? event.data.conn });
      });
    };
  const conc = inngest.createFunction(
    { id: "conc", concurrency: { limit: 1, key: "event.data.tenant" }, triggers: [{ event: "t/conc" }] },
    interval("conc"),
  );
  const sharedA = inngest.createFunction(
    { id: "shared-a", concurrency: { limit: 1, key: "event.data.conn", scope: "env" }, triggers: [{ event: "t/shared-a" }] },
    interval("shared"),
  );
  const sharedB = inngest.createFunction(
    { id: "shared-b", concurrency: { limit: 1, key: "event.data.conn", scope: "env" }, triggers: [{ event: "t/shared-b" }] },
    interval("shared"),
  );

  const throttled = inngest.createFunction(
    { id: "throttled", throttle: { limit: 2, period: "2s", key: "event.data.k" }, triggers: [{ event: "t/throttle" }] },
    async ({ step, runId, attempt, event }) => {
      await step.run("start", () => rec("throttle.start", runId, attempt, { at: Date.now(), k: event.data.k }));
    },
  );

  const idem = inngest.createFunction(
    { id: "idem", idempotency: "event.data.key", triggers: [{ event: "t/idem" }] },
    async ({ event }) => ({ key: event.data.key }),
  );
  const dedupe = inngest.createFunction({ id: "dedupe", triggers: [{ event: "t/dedupe" }] }, async ({ runId }) => ({ runId }));

  const fails = inngest.createFunction(
    {
      id: "fails",
      retries: 1,
      triggers: [{ event: "t/fail" }],
      onFailure: async ({ error, event, runId }) => {
        await rec("fails.onFailure", runId, 0, { message: error.message, original: event.data.event.data });
      },
    },
    async ({ step, runId, attempt }) => {
      await step.run("boom", async () => {
        await rec("fails.boom", runId, attempt);
        throw new Error("always fails");
      });
    },
  );

  const nonRetriable = inngest.createFunction(
    { id: "non-retriable", retries: 3, triggers: [{ event: "t/non-retriable" }] },
    async ({ step, runId, attempt }) => {
      try {
        await step.run("nr", async () => {
          await rec("nr.call", runId, attempt);
          throw new NonRetriableError("no retry please");
        });
        return { caught: null };
      } catch (err) {
        return { caught: (err as Error).message };
      }
    },
  );

  const retryAfter = inngest.createFunction(
    { id: "retry-after", retries: 2, triggers: [{ event: "t/retry-after" }] },
    async ({ step, runId, attempt }) => {
      return step.run("ra", async () => {
        await rec("ra.call", runId, attempt, { at: Date.now() });
        if (attempt === 0) throw new RetryAfterError("come back later", "1s");
        return "ok";
      });
    },
  );

  const cancellable = inngest.createFunction(
    { id: "cancellable", cancelOn: [{ event: "t/cancel", match: "data.id" }], triggers: [{ event: "t/cancellable" }] },
    async ({ step, runId, attempt }) => {
      await step.run("before", () => rec("cancel.before", runId, attempt));
      await step.sleep("long", "60s");
      await step.run("after", () => rec("cancel.after", runId, attempt));
    },
  );

  const cron = inngest.createFunction({ id: "cron", triggers: [{ cron: "*/2 * * * * *" }] }, async ({ runId, attempt, event }) => {
    await rec("cron.tick", runId, attempt, { name: event.name });
  });

  const crashExec = inngest.createFunction(
    { id: "crash-exec", triggers: [{ event: "t/crash-exec" }] },
    async ({ step, runId, attempt }) => {
      await step.run("t0", () => rec("crash-exec.t0", runId, attempt));
      await step.sleep("gap", "3s");
      await step.run("t1", () => rec("crash-exec.t1", runId, attempt));
      return "done";
    },
  );

  const slowSteps = inngest.createFunction({ id: "slow-steps", triggers: [{ event: "t/slow" }] }, async ({ step, runId, attempt }) => {
    await step.run("s1", () => rec("slow.s1", runId, attempt));
    await step.run("s2", async () => {
      await rec("slow.s2.start", runId, attempt);
      await pause(1500);
      await rec("slow.s2.end", runId, attempt);
    });
    await step.run("s3", () => rec("slow.s3", runId, attempt));
    return "done";
  });

  const bench = inngest.createFunction({ id: "bench", triggers: [{ event: "t/bench" }] }, async ({ step }) => {
    const a = await step.run("a", () => 1);
    const b = await step.run("b", () => a + 1);
    return step.run("c", () => b + 1);
  });

  const functions = [
    retrySteps,
    sleeper,
    parallel,
    doubler,
    orchestrator,
    waitTimeout,
    conc,
    sharedA,
    sharedB,
    throttled,
    idem,
    dedupe,
    fails,
    nonRetriable,
    retryAfter,
    cancellable,
    crashExec,
    slowSteps,
    bench,
    ...(withCron ? [cron] : []),
  ];
  return { inngest, functions };
}

/** An app whose functions use config the executor does not implement; registration must refuse them. */
export function refusedFunctions() {
  const inngest = new Inngest({ id: "fixture-bad" });
  const noop = async () => "noop";
  return {
    inngest,
    functions: [
      inngest.createFunction({ id: "debounced", debounce: { period: "5s" }, triggers: [{ event: "t/bad" }] }, noop),
      inngest.createFunction({ id: "batched", batchEvents: { maxSize: 10, timeout: "5s" }, triggers: [{ event: "t/bad" }] }, noop),
      inngest.createFunction({ id: "prioritised", priority: { run: "event.data.p" }, triggers: [{ event: "t/bad" }] }, noop),
      inngest.createFunction({ id: "fine", triggers: [{ event: "t/bad" }] }, noop),
    ],
  };
}
