/** Telling listeners about changes without letting one of them break the workflow that tells them. */

/** Calls every listener; one that throws is reported and keeps neither the others nor the caller from going on. */
export function notifyAll<T>(listeners: Iterable<(value: T) => void>, value: T, what: string): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch (err) {
      console.error(`governance: a ${what} listener failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** Adds a listener to a set; returns the function that removes it. */
export function listen<T>(listeners: Set<(value: T) => void>, listener: (value: T) => void, what: string): () => void {
  if (typeof listener !== "function") throw new TypeError(`a ${what} listener must be a function`);
  listeners.add(listener);
  return () => listeners.delete(listener);
}
