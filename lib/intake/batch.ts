/**
 * Coalesces concurrent calls into batches: calls that arrive while earlier batches are being written
 * leave together in the next one. Under load a webhook then shares its two statements, its commit and
 * the status-view triggers' firing with the deliveries beside it, instead of paying for them alone;
 * a lone call leaves at once (no timer, only the current turn of the event loop).
 */

export interface Pending<I, O> {
  item: I;
  resolve(out: O): void;
  reject(err: unknown): void;
}

export interface BatcherOptions {
  /** The most items one batch carries. */
  maxBatch: number;
  /** How many batches may be in flight at once (a second one overlaps the first's round trips). */
  maxInFlight: number;
}

/**
 * `flush` settles every pending item it is given — or hands some back with `requeue` (and a new
 * item) for the next batch: a lost race, an item that must not share a batch with another. Items a
 * failing flush left unsettled get its error.
 */
export class Batcher<I, O> {
  private readonly queue: Entry<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly flush: (batch: Pending<I, O>[], requeue: (p: Pending<I, O>, item: I) => void) => Promise<void>,
    private readonly opts: BatcherOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push(entry(item, resolve, reject));
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.opts.maxInFlight || !this.queue.length) return;
    this.scheduled = true;
    // One turn of the event loop lets the requests already read from their sockets join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.inFlight >= this.opts.maxInFlight || !this.queue.length) return;
    const batch = this.queue.splice(0, this.opts.maxBatch);
    const back: Entry<I, O>[] = [];
    this.inFlight++;
    this.schedule();
    try {
      await this.flush(batch, (p, item) => {
        const e = p as Entry<I, O>;
        if (e.done) return;
        e.done = true;
        back.push(entry(item, e.settle.resolve, e.settle.reject));
      });
    } catch (err) {
      for (const e of batch) e.reject(err);
    } finally {
      for (const e of batch) e.reject(new Error("an intake batch left a delivery unanswered"));
      this.queue.unshift(...back);
      this.inFlight--;
      this.schedule();
    }
  }
}

interface Entry<I, O> extends Pending<I, O> {
  done: boolean;
  settle: { resolve(out: O): void; reject(err: unknown): void };
}

/** An item whose first settlement wins; later ones (a failing flush's blanket reject) are ignored. */
function entry<I, O>(item: I, resolve: (out: O) => void, reject: (err: unknown) => void): Entry<I, O> {
  const e: Entry<I, O> = {
    item,
    done: false,
    settle: { resolve, reject },
    resolve: (out) => {
      if (e.done) return;
      e.done = true;
      resolve(out);
    },
    reject: (err) => {
      if (e.done) return;
      e.done = true;
      reject(err);
    },
  };
  return e;
}
