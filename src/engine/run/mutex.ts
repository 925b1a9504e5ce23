/** Serialises async work (e.g. fetches into the same repository, which take ref locks). */
export function createMutex(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn);
    // The next caller waits for this one to settle; its result or error goes to its own caller.
    tail = Promise.allSettled([next]);
    return next;
  };
}
