/**
 * Clean stop on Ctrl-C: every registered step runs once, newest first (the UI host before the runtime,
 * the runtime before the PLC it talks to). A second Ctrl-C while stopping forces the exit.
 */
type Step = { name: string; run: () => Promise<unknown> | unknown };

const steps: Step[] = [];
let stopping: Promise<void> | undefined;

export function onShutdown(name: string, run: Step["run"]): void {
  steps.push({ name, run });
}

export function shutdown(exitCode = 0, log: (line: string) => void = (l) => console.error(l)): Promise<void> {
  if (stopping) return stopping;
  stopping = (async () => {
    for (const step of [...steps].reverse()) {
      try {
        await withTimeout(Promise.resolve(step.run()), 8_000, step.name);
      } catch (err) {
        log(`while stopping ${step.name}: ${err instanceof Error ? err.message : String(err)}`);
        exitCode = exitCode || 1;
      }
    }
    process.exit(exitCode);
  })();
  return stopping;
}

export function installSignalHandlers(log: (line: string) => void = (l) => console.error(l)): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (stopping) {
        log(`${signal} again: forcing exit`);
        process.exit(130);
      }
      log(`${signal}: stopping…`);
      void shutdown(0, log);
    });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not stop within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
