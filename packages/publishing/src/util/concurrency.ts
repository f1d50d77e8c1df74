/** Runs `fn` over `items` with at most `limit` in flight; rejects on the first failure. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Runs the tasks given to it at most `limit` at a time, in the order they come. A task may
 * give its place to the next before it ends (`leave`), once what the limit shares is no
 * longer in its use. Once one has failed, those not started yet never start: they reject
 * with that failure.
 */
export function limiter(limit: number): <T>(task: (leave: () => void) => Promise<T>) => Promise<T> {
  let running = 0;
  let failure: { error: unknown } | undefined;
  const queue: (() => void)[] = [];
  const startNext = () => {
    while (running < limit && queue.length > 0) queue.shift()!();
  };
  return <T>(task: (leave: () => void) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        if (failure) {
          reject(failure.error);
          return;
        }
        running++;
        let left = false;
        const leave = () => {
          if (left) return;
          left = true;
          running--;
          startNext();
        };
        task(leave)
          .then(resolve, (err: unknown) => {
            failure ??= { error: err };
            reject(err);
          })
          .finally(leave);
      });
      startNext();
    });
}

/**
 * Work started now and awaited later: until then its failure counts as handled, so Node
 * does not end the process over it; it still rejects where it is awaited.
 */
export function awaitedLater<T>(work: Promise<T>): Promise<T> {
  work.catch(() => {});
  return work;
}

/** Waits for every one of `pending`; when any failed, rejects with the first failure, once none is left running. */
export async function settleAll<T>(pending: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(pending);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
