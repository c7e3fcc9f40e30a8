import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Batcher, type Pending } from "./batch";

/** The coalescing queue behind intake's shared statements: who leaves together, and what a failure settles. */

const tick = () => new Promise((r) => setImmediate(r));

function deferred() {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { done, release };
}

describe("intake batcher", () => {
  it("a lone call leaves at once, in a batch of one", async () => {
    const batches: number[][] = [];
    const b = new Batcher<number, number>(
      async (batch) => {
        batches.push(batch.map((p) => p.item));
        for (const p of batch) p.resolve(p.item * 2);
      },
      { maxBatch: 8, maxInFlight: 1 },
    );
    assert.equal(await b.submit(21), 42);
    assert.deepEqual(batches, [[21]]);
  });

  it("calls made while a batch is in flight leave together in the next, up to the batch size", async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const b = new Batcher<number, number>(
      async (batch) => {
        batches.push(batch.map((p) => p.item));
        if (batches.length === 1) await gate.done;
        for (const p of batch) p.resolve(p.item);
      },
      { maxBatch: 3, maxInFlight: 1 },
    );
    const first = b.submit(0);
    await tick();
    const rest = [1, 2, 3, 4, 5].map((i) => b.submit(i));
    await tick();
    assert.deepEqual(batches, [[0]], "the rest wait while the first batch is in flight");
    gate.release();
    assert.deepEqual(await Promise.all([first, ...rest]), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(batches, [[0], [1, 2, 3], [4, 5]]);
  });

  it("a second batch may overlap the first when two are allowed in flight", async () => {
    const gate = deferred();
    let running = 0;
    let most = 0;
    const b = new Batcher<number, number>(
      async (batch) => {
        running++;
        most = Math.max(most, running);
        await gate.done;
        running--;
        for (const p of batch) p.resolve(p.item);
      },
      { maxBatch: 2, maxInFlight: 2 },
    );
    const all = [1, 2, 3, 4, 5, 6].map((i) => b.submit(i));
    await tick();
    await tick();
    assert.equal(running, 2, "two batches in flight, the third waits");
    gate.release();
    assert.deepEqual(await Promise.all(all), [1, 2, 3, 4, 5, 6]);
    assert.equal(most, 2);
  });

  it("a requeued item goes into the next batch with its new value, and its caller gets that batch's answer", async () => {
    const batches: string[][] = [];
    const b = new Batcher<string, string>(
      async (batch, requeue) => {
        batches.push(batch.map((p) => p.item));
        for (const p of batch) {
          if (p.item === "lost") requeue(p, "retry");
          else p.resolve(`${p.item}:ok`);
        }
      },
      { maxBatch: 8, maxInFlight: 1 },
    );
    const answers = await Promise.all([b.submit("a"), b.submit("lost"), b.submit("b")]);
    assert.deepEqual(answers, ["a:ok", "retry:ok", "b:ok"]);
    assert.deepEqual(batches, [["a", "lost", "b"], ["retry"]]);
  });

  it("a failing flush rejects only the items it had not answered, and the batcher keeps going", async () => {
    let calls = 0;
    const b = new Batcher<number, number>(
      async (batch: Pending<number, number>[]) => {
        calls++;
        if (calls === 1) {
          batch[0].resolve(1);
          throw new Error("database went away");
        }
        for (const p of batch) p.resolve(p.item);
      },
      { maxBatch: 8, maxInFlight: 1 },
    );
    const first = await Promise.allSettled([b.submit(1), b.submit(2), b.submit(3)]);
    assert.deepEqual(
      first.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message)),
      [1, "database went away", "database went away"],
    );
    assert.equal(await b.submit(4), 4);
  });

  it("an item its flush forgot is rejected rather than left hanging", async () => {
    const b = new Batcher<number, number>(async () => undefined, { maxBatch: 8, maxInFlight: 1 });
    await assert.rejects(b.submit(1), /unanswered/);
  });
});
