// Leaving the process early (a closed stdout, Ctrl-C, SIGTERM) without tearing down a worker
// thread in the middle of native code, which aborts the process ("terminate called after throwing
// an instance of 'Napi::Error'"): what holds worker threads registers a cleanup that stops them
// (ThreadPool.stop), and exitNow runs the cleanups before process.exit.
const cleanups = new Set<() => Promise<void>>();
let exiting: Promise<never> | undefined;

/** True once an early exit started: write no more results (the ones after would be the cleanup's errors). */
export function isExiting(): boolean {
  return exiting !== undefined;
}

/** Runs `cleanup` before an early exit; returns the function that unregisters it. */
export function beforeExit(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
}

/** Runs the cleanups (at most `patienceMs`), then exits with `code`; later calls wait for the first. */
export function exitNow(code: number, patienceMs = 15_000): Promise<never> {
  exiting ??= (async () => {
    const all = Promise.all([...cleanups].map((c) => c().catch(() => undefined)));
    await Promise.race([all, new Promise((r) => setTimeout(r, patienceMs).unref())]);
    process.exit(code);
  })();
  return exiting;
}
