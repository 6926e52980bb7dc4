// Processing a stream of items concurrently while writing the results in input order: each item
// starts as soon as it is read (the caller's function limits how many really run, e.g. a pool of
// worker threads), and each result is handed on as soon as it and every result before it are
// done — also while the input waits for more, so a pipe that writes one record and waits for its
// answer gets it. At most `window` items are read ahead of the next result written, which bounds
// memory whatever the input's length.

export interface OrderedOptions {
  /** items read but not yet emitted (>= 1) */
  window: number;
}

/**
 * Calls `fn` on every item of `source` and `emit` on each result in the order of the items.
 * `fn` should not reject (turn failures into results); if it does, or `emit` throws, the run
 * stops reading and rejects with that error.
 */
export async function mapOrdered<T, R>(
  source: AsyncIterable<T>,
  fn: (item: T, index: number) => Promise<R>,
  emit: (result: R, index: number) => void | Promise<void>,
  options: OrderedOptions,
): Promise<void> {
  const window = Math.max(1, Math.floor(options.window));
  const queue: { index: number; result: Promise<R> }[] = [];
  let readerDone = false;
  let stopped = false;
  let wakeWriter: (() => void) | undefined;
  let wakeReader: (() => void) | undefined;
  const signalWriter = (): void => {
    const w = wakeWriter;
    wakeWriter = undefined;
    w?.();
  };

  const reader = (async () => {
    let index = 0;
    try {
      for await (const item of source) {
        if (stopped) return;
        while (queue.length >= window && !stopped) await new Promise<void>((r) => (wakeReader = r));
        if (stopped) return;
        const i = index++;
        const result = fn(item, i);
        result.catch(() => undefined); // rejections surface in the writer, in order
        queue.push({ index: i, result });
        signalWriter();
      }
    } finally {
      readerDone = true;
      signalWriter();
    }
  })();
  // if the writer stops first, the reader's own failure is not reported
  reader.catch(() => undefined);

  try {
    for (;;) {
      if (queue.length === 0) {
        if (readerDone) break;
        await new Promise<void>((r) => (wakeWriter = r));
        continue;
      }
      const head = queue[0];
      await emit(await head.result, head.index);
      // the slot frees once the result is written: at most `window` items are ever held
      queue.shift();
      const w = wakeReader;
      wakeReader = undefined;
      w?.();
    }
  } catch (e) {
    stopped = true;
    wakeReader?.();
    throw e;
  }
  await reader;
}
