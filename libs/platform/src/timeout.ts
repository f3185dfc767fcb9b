/** A wait that ran out: the operation may still complete later (a command already sent). */
export class TimeoutError extends Error {}

/** `promise`, or a TimeoutError after `ms`: for calls to Redis, which may stall rather than fail. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}
