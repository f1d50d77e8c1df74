import { awaitedLater, limiter, mapLimit, settleAll } from '@ci-actions/publishing/util/concurrency.js';

/** A task that finishes when `release` is called, recording when it started. */
function gate(started: string[], name: string) {
  let release!: (fail?: Error) => void;
  const done = new Promise<string>((resolve, reject) => (release = (fail) => (fail ? reject(fail) : resolve(name))));
  return { task: () => (started.push(name), done), release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('limiter', () => {
  it('runs at most `limit` tasks at once, in the order given', async () => {
    const started: string[] = [];
    const run = limiter(2);
    const gates = ['a', 'b', 'c', 'd'].map((n) => gate(started, n));
    const results = gates.map((g) => run(g.task));
    await tick();
    expect(started).toEqual(['a', 'b']);
    gates[1].release();
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    gates.forEach((g) => g.release());
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a task that leaves early gives its place to the next and still ends with its own result', async () => {
    const started: string[] = [];
    const run = limiter(1);
    let leaveA!: () => void;
    let endA!: () => void;
    const a = run((leave) => {
      started.push('a');
      leaveA = leave;
      return new Promise<string>((resolve) => (endA = () => resolve('a')));
    });
    const b = gate(started, 'b');
    const c = gate(started, 'c');
    const results = [a, run(b.task), run(c.task)];
    await tick();
    expect(started).toEqual(['a']);
    leaveA();
    leaveA();
    await tick();
    // Left twice, counted once: b takes the place, c still waits.
    expect(started).toEqual(['a', 'b']);
    endA();
    await tick();
    expect(started).toEqual(['a', 'b']);
    b.release();
    c.release();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
  });

  it('after a failure, tasks not started yet never start and reject with it', async () => {
    const started: string[] = [];
    const run = limiter(1);
    const gates = ['a', 'b', 'c'].map((n) => gate(started, n));
    const results = gates.map((g) => run(g.task).catch((e: Error) => e.message));
    gates[0].release(new Error('registry down'));
    expect(await Promise.all(results)).toEqual(['registry down', 'registry down', 'registry down']);
    expect(started).toEqual(['a']);
  });
});

describe('mapLimit', () => {
  it('keeps the order of the items and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, n));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});

describe('awaitedLater', () => {
  it('keeps a failure for whoever awaits the work, without it counting as unhandled meanwhile', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const work = awaitedLater(Promise.reject(new Error('registry down')));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
      await expect(work).rejects.toThrow('registry down');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('settleAll', () => {
  it('gives every value in order', async () => {
    expect(await settleAll([Promise.resolve(1), Promise.resolve(2)])).toEqual([1, 2]);
  });

  it('rejects with the first failure only once nothing is left running', async () => {
    const started: string[] = [];
    const slow = gate(started, 'slow');
    const failing = gate(started, 'failing');
    let settled = false;
    const all = settleAll([slow.task(), failing.task()]).catch((err: Error) => ((settled = true), err.message));
    failing.release(new Error('first failure'));
    await tick();
    expect(settled).toBe(false);
    slow.release();
    expect(await all).toBe('first failure');
  });
});
